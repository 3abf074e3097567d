// Module hooks for mutation runs: the project compiles with TypeScript 7 (native, no JavaScript compiler API), while
// Stryker's TypeScript checker and its tsconfig rewriting need the compiler API. Their imports of "typescript" get the
// TypeScript 5 that test/mutation/run.mjs installs under .tools/ (BIOM_TYPESCRIPT_API); nothing else changes.
import { pathToFileURL } from 'node:url';

export async function resolve(specifier, context, next) {
  const api = process.env.BIOM_TYPESCRIPT_API;
  if (api && specifier === 'typescript' && context.parentURL?.includes('/node_modules/@stryker-mutator/')) {
    return { url: pathToFileURL(api).href, shortCircuit: true, format: 'commonjs' };
  }
  return next(specifier, context);
}
