// One build for every bundle: the extension host glue, the CLI, the inference worker and the webviews.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');

// Native modules stay outside the bundles and are loaded from node_modules at run time.
const nativeExternals = ['onnxruntime-node', 'tokenizers', 'vscode'];

const nodeEntries = [
  { in: 'src/extension/extension.ts', out: 'extension' },
  { in: 'src/cli/main.ts', out: 'cli' },
  { in: 'src/worker/main.ts', out: 'worker' },
];

const webEntries = [
  { in: 'webview/relations/main.ts', out: 'webview/relations' },
  { in: 'webview/qa/main.ts', out: 'webview/qa' },
];

const common = {
  bundle: true,
  sourcemap: true,
  logLevel: 'warning',
};

const contexts = [
  await esbuild.context({
    ...common,
    entryPoints: nodeEntries,
    outdir: 'dist',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: nativeExternals,
  }),
  await esbuild.context({
    ...common,
    entryPoints: webEntries,
    outdir: 'dist',
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
  }),
];

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
