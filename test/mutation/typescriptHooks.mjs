// Module hooks for mutation runs: the project compiles with TypeScript 7 (native, no JavaScript compiler API), while
// @stryker-mutator/typescript-checker needs the compiler API; its imports of "typescript" get TypeScript 5
// (devDependency "typescript5"), as do Stryker's own tsconfig rewrites. Everything else keeps resolving "typescript".
export async function resolve(specifier, context, next) {
  if (specifier === 'typescript' && context.parentURL?.includes('/node_modules/@stryker-mutator/')) {
    return next('typescript5', context);
  }
  return next(specifier, context);
}
