// Owns reading native binaries' headers (ELF, Mach-O incl. fat, PE): which OS and CPU a file is for and what it loads.

export type BinaryOs = 'linux' | 'darwin' | 'win32';
export type BinaryArch = 'x64' | 'arm64' | 'ia32' | 'arm' | 'other';

export interface NativeBinary {
  os: BinaryOs;
  /** One entry per architecture slice: a fat Mach-O has several, everything else one. */
  archs: BinaryArch[];
  /** Libraries it asks the loader for (DT_NEEDED, LC_LOAD_DYLIB and friends, PE imports and delay imports). */
  needs: string[];
  /** Mach-O LC_RPATH entries; empty elsewhere (ELF RUNPATH is reported here too). */
  rpaths: string[];
}

const ELF_MACHINES: Record<number, BinaryArch> = { 0x3e: 'x64', 0xb7: 'arm64', 0x03: 'ia32', 0x28: 'arm' };
const MACHO_CPUS: Record<number, BinaryArch> = { 0x01000007: 'x64', 0x0100000c: 'arm64', 0x07: 'ia32', 0x0c: 'arm' };
const PE_MACHINES: Record<number, BinaryArch> = { 0x8664: 'x64', 0xaa64: 'arm64', 0x14c: 'ia32', 0x1c4: 'arm', 0xa641: 'arm64' };

/** Reads a file's headers; undefined when it is not a native binary (text, JSON, ONNX, images…). */
export function readNativeBinary(buf: Buffer): NativeBinary | undefined {
  if (buf.length < 64) return undefined;
  if (buf.readUInt32BE(0) === 0x7f454c46) return readElf(buf);
  const le = buf.readUInt32LE(0);
  if (le === 0xfeedfacf || le === 0xfeedface) return readMachO(buf, 0);
  const be = buf.readUInt32BE(0);
  // 0xcafebabe is also a Java class file; a fat Mach-O has a small slice count where a class has its version.
  if ((be === 0xcafebabe || be === 0xcafebabf) && buf.readUInt32BE(4) > 0 && buf.readUInt32BE(4) < 20)
    return readFat(buf, be === 0xcafebabf);
  if (buf.toString('latin1', 0, 2) === 'MZ') return readPe(buf);
  return undefined;
}

function cString(buf: Buffer, at: number): string {
  const end = buf.indexOf(0, at);
  return buf.toString('utf8', at, end < 0 ? buf.length : end);
}

function readElf(buf: Buffer): NativeBinary {
  const is64 = buf[4] === 2;
  const le = buf[5] === 1;
  const u16 = (o: number) => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const word = (o: number) => (is64 ? Number(le ? buf.readBigUInt64LE(o) : buf.readBigUInt64BE(o)) : u32(o));
  const machine = u16(18);
  const phoff = word(is64 ? 32 : 28);
  const phentsize = u16(is64 ? 54 : 42);
  const phnum = u16(is64 ? 56 : 44);
  const loads: { vaddr: number; offset: number; filesz: number }[] = [];
  let dynamic: { offset: number; size: number } | undefined;
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    const type = u32(p);
    const offset = word(p + (is64 ? 8 : 4));
    const vaddr = word(p + (is64 ? 16 : 8));
    const filesz = word(p + (is64 ? 32 : 16));
    if (type === 1) loads.push({ vaddr, offset, filesz });
    if (type === 2) dynamic = { offset, size: filesz };
  }
  const needs: string[] = [];
  const rpaths: string[] = [];
  if (dynamic) {
    const entry = is64 ? 16 : 8;
    const tags: [number, number][] = [];
    for (let o = dynamic.offset; o + entry <= dynamic.offset + dynamic.size; o += entry) {
      const tag = word(o);
      if (tag === 0) break;
      tags.push([tag, word(o + entry / 2)]);
    }
    const strtabAddr = tags.find(([t]) => t === 5)?.[1];
    const seg = loads.find((l) => strtabAddr !== undefined && strtabAddr >= l.vaddr && strtabAddr < l.vaddr + l.filesz);
    if (strtabAddr !== undefined && seg) {
      const strtab = strtabAddr - seg.vaddr + seg.offset;
      for (const [tag, value] of tags) {
        if (tag === 1) needs.push(cString(buf, strtab + value));
        if (tag === 15 || tag === 29) rpaths.push(...cString(buf, strtab + value).split(':'));
      }
    }
  }
  return { os: 'linux', archs: [ELF_MACHINES[machine] ?? 'other'], needs, rpaths };
}

function readMachO(buf: Buffer, base: number): NativeBinary {
  const is64 = buf.readUInt32LE(base) === 0xfeedfacf;
  const cpu = buf.readUInt32LE(base + 4);
  const ncmds = buf.readUInt32LE(base + 16);
  const needs: string[] = [];
  const rpaths: string[] = [];
  let o = base + (is64 ? 32 : 28);
  for (let i = 0; i < ncmds; i++) {
    const cmd = buf.readUInt32LE(o);
    const size = buf.readUInt32LE(o + 4);
    // LC_LOAD_DYLIB, LC_LOAD_WEAK_DYLIB, LC_REEXPORT_DYLIB, LC_LOAD_UPWARD_DYLIB: a dylib_command with the name at +8.
    if (cmd === 0xc || cmd === 0x80000018 || cmd === 0x8000001f || cmd === 0x80000023)
      needs.push(cString(buf, o + buf.readUInt32LE(o + 8)));
    if (cmd === 0x8000001c) rpaths.push(cString(buf, o + buf.readUInt32LE(o + 8)));
    o += size;
  }
  return { os: 'darwin', archs: [MACHO_CPUS[cpu] ?? 'other'], needs, rpaths };
}

function readFat(buf: Buffer, fat64: boolean): NativeBinary {
  const n = buf.readUInt32BE(4);
  const slices = [];
  for (let i = 0; i < n; i++) {
    const a = 8 + i * (fat64 ? 32 : 20);
    const offset = fat64 ? Number(buf.readBigUInt64BE(a + 8)) : buf.readUInt32BE(a + 8);
    slices.push(readMachO(buf, offset));
  }
  return {
    os: 'darwin',
    archs: slices.flatMap((s) => s.archs),
    needs: [...new Set(slices.flatMap((s) => s.needs))],
    rpaths: [...new Set(slices.flatMap((s) => s.rpaths))],
  };
}

function readPe(buf: Buffer): NativeBinary | undefined {
  const pe = buf.readUInt32LE(0x3c);
  if (pe + 24 > buf.length || buf.readUInt32LE(pe) !== 0x00004550) return undefined;
  const coff = pe + 4;
  const machine = buf.readUInt16LE(coff);
  const nsections = buf.readUInt16LE(coff + 2);
  const optSize = buf.readUInt16LE(coff + 16);
  const opt = coff + 20;
  const pe32plus = buf.readUInt16LE(opt) === 0x20b;
  const dirs = opt + (pe32plus ? 112 : 96);
  const sections: { va: number; size: number; raw: number }[] = [];
  for (let i = 0; i < nsections; i++) {
    const s = opt + optSize + i * 40;
    sections.push({
      va: buf.readUInt32LE(s + 12),
      size: Math.max(buf.readUInt32LE(s + 8), buf.readUInt32LE(s + 16)),
      raw: buf.readUInt32LE(s + 20),
    });
  }
  const fileOffset = (rva: number) => {
    const s = sections.find((x) => rva >= x.va && rva < x.va + x.size);
    return s ? rva - s.va + s.raw : -1;
  };
  const needs: string[] = [];
  const dir = (index: number) => buf.readUInt32LE(dirs + index * 8);
  // Import directory (1): 20-byte descriptors, the DLL name's RVA at +12, ended by a zero descriptor.
  for (let d = fileOffset(dir(1)); d > 0 && buf.readUInt32LE(d + 12) !== 0; d += 20)
    needs.push(cString(buf, fileOffset(buf.readUInt32LE(d + 12))));
  // Delay-load directory (13): 32-byte descriptors, the DLL name's RVA at +4.
  for (let d = fileOffset(dir(13)); d > 0 && buf.readUInt32LE(d + 4) !== 0; d += 32)
    needs.push(cString(buf, fileOffset(buf.readUInt32LE(d + 4))));
  return { os: 'win32', archs: [PE_MACHINES[machine] ?? 'other'], needs, rpaths: [] };
}
