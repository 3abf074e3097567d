// Owns the public face of hub downloads: one import for callers (CLI, editor) over the four parts — HTTP client
// (hubHttp), listing and plan (hubPlan), download and verification (hubDownload), cache on disk (modelCache).
export { DEFAULT_HUB_URL, HubError, checkHubUrl, tokenFromEnvironment, type HubConnectionOptions, type HubErrorCode } from './hubHttp';
export {
  DEFAULT_MAX_FILE_BYTES,
  EXPORT_COMMAND,
  MAX_EXTERNAL_DATA_FILES,
  MAX_LISTING_PAGES,
  checkRepoId,
  checkRevision,
  formatBytes,
  isSafeRepoPath,
  planPull,
  type PullOptions,
  type PullPlan,
  type PullProgress,
} from './hubPlan';
export { pullModel, type PullResult } from './hubDownload';
export {
  INCOMPLETE_DIR,
  MANIFEST_FILE,
  cacheFolderFor,
  defaultCacheDir,
  readManifest,
  type ModelManifest,
  type PlannedFile,
} from './modelCache';
