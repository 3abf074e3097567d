// Loaded with --import in mutation runs (see test/mutation/run.mjs): installs typescriptHooks.mjs.
import { register } from 'node:module';

register('./typescriptHooks.mjs', import.meta.url);
