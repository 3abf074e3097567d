// Owns the list of VSIX targets and which native files each one ships (the package script and its test read this).

export type TargetOs = 'linux' | 'darwin' | 'win32';
export type TargetArch = 'x64' | 'arm64';

export interface PackageTarget {
  /** The VS Code platform id passed to `vsce package --target`. */
  target: string;
  os: TargetOs;
  arch: TargetArch;
  /** onnxruntime-node's folder of prebuilt binaries for this platform, inside node_modules/onnxruntime-node. */
  ortDir: string;
  /** Files of ortDir left out, each for a reason given where the target is listed. */
  ortSkip: RegExp[];
  /** The tokenizers binary its index.js loads on this platform (glibc on Linux, MSVC on Windows). */
  tokenizersFile: string;
}

function target(os: TargetOs, arch: TargetArch, tokenizersSuffix: string, ortSkip: RegExp[] = []): PackageTarget {
  return {
    target: `${os}-${arch}`,
    os,
    arch,
    ortDir: `bin/napi-v6/${os}/${arch}`,
    ortSkip,
    tokenizersFile: `tokenizers.${os}-${arch}${tokenizersSuffix}.node`,
  };
}

/**
 * macOS: onnxruntime-node ships libonnxruntime twice, byte for byte the same (the versioned name and the `.1` name the
 * binding loads through @rpath); only the loaded one is kept (13 MB less).
 */
const DARWIN_SKIP = [/^libonnxruntime\.\d+\.\d+\.\d+\.dylib$/];
/**
 * Windows: dxcompiler.dll and dxil.dll are the DirectX shader compiler, which only the DirectML execution provider
 * loads at run time (no shipped file imports them; the header test checks). Sessions here use the CPU provider, and
 * leaving them out keeps the Windows VSIX under the 60 MB budget. DirectML.dll stays: onnxruntime.dll imports it.
 */
const WIN32_SKIP = [/^dxcompiler\.dll$/i, /^dxil\.dll$/i];

/**
 * Every platform onnxruntime-node 1.30 ships a CPU binary for. darwin-x64 is missing because onnxruntime-node has none
 * (README, "Platforms"); alpine (musl) and linux-armhf because onnxruntime-node has none either.
 */
export const PACKAGE_TARGETS: readonly PackageTarget[] = [
  target('linux', 'x64', '-gnu'),
  target('linux', 'arm64', '-gnu'),
  target('darwin', 'arm64', '', DARWIN_SKIP),
  target('win32', 'x64', '-msvc', WIN32_SKIP),
  target('win32', 'arm64', '-msvc', WIN32_SKIP),
];

/** The onnxruntime files a target ships, given the names in its ortDir. */
export function ortFilesFor(t: PackageTarget, names: readonly string[]): string[] {
  return names.filter((n) => !t.ortSkip.some((re) => re.test(n))).sort();
}

/** The VSIX file of a target, relative to the repository root. */
export function vsixPath(t: PackageTarget): string {
  return `dist/biom-annotator-${t.target}.vsix`;
}

/** The path the real-editor tests and `npm run studio` install: a copy of this machine's target. */
export const HOST_VSIX = 'dist/biom-annotator.vsix';
