// Mutation testing of src/core (npm run test:mutation; see README "Mutation testing"). One folder per run, chosen by
// BIOM_MUTATE (text, tasks, formats, eval): each folder has its own fast test selection, so a mutant runs only the
// tests that can kill it (the CLI and editor tests run the bundled dist/, which mutants never reach).
const TESTS = {
  text: ['test/unit/offsets.test.ts', 'test/unit/paragraphs.test.ts', 'test/unit/sentences.test.ts'],
  formats: ['test/unit/formats.test.ts'],
  // Fastest first: a mutant stops at the first failing file.
  tasks: [
    'test/unit/tasks.test.ts',
    'test/unit/largeLogits.test.ts',
    'test/unit/windowMerge.test.ts',
    'test/golden/relationsQa.test.ts',
    'test/golden/relationPairs.test.ts',
    'test/golden/ner.test.ts',
  ],
  eval: ['test/unit/chemprotEval.test.ts'],
};
const folder = process.env.BIOM_MUTATE ?? 'text';
if (!(folder in TESTS)) throw new Error(`BIOM_MUTATE must be one of ${Object.keys(TESTS).join(', ')}, got ${folder}`);

export default {
  mutate: [`src/core/${folder}/**/*.ts`],
  testRunner: 'tap',
  tap: {
    testFiles: TESTS[folder],
    nodeArgs: ['--import', 'tsx', '--test-reporter=tap', '-r', '{{hookFile}}', '{{testFile}}'],
  },
  checkers: ['typescript'],
  tsconfigFile: 'test/mutation/tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  // The machine is shared: one test process at a time.
  concurrency: 1,
  // Added to 1.5 × the tests' own time: a mutant that loops forever is stopped (and counted as detected) quickly.
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${folder}.json` },
  htmlReporter: { fileName: `reports/mutation/${folder}.html` },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['dist', '.tools', 'test-results', 'reports', 'bench/results', 'media', 'out'],
  thresholds: { high: 80, low: 60, break: null },
  plugins: ['@stryker-mutator/tap-runner', '@stryker-mutator/typescript-checker'],
};
