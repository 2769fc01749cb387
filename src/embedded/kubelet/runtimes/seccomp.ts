/**
 * The seccomp filter of host-runtime containers, like a container runtime's default profile: system calls that
 * change the machine rather than the process (mounts, kernel modules, kexec, clocks, swap, reboot, keyrings, BPF,
 * perf, new namespaces, open_by_handle_at, userfaultfd, …) fail with EPERM; everything else is allowed. `clone`
 * with namespace flags fails with EPERM and `clone3` (whose flags a filter cannot read) with ENOSYS, so C
 * libraries fall back to `clone`, as Docker's profile does. Written as a classic BPF program for bwrap's
 * `--seccomp FD` (struct sock_filter[]: u16 code, u8 jt, u8 jf, u32 k; little-endian on the supported arches).
 * Pure: answers bytes; the runtime writes them to a file that bwrap reads.
 */

/** AUDIT_ARCH_* of the architectures with a syscall table here. */
const ARCH = { x64: 0xc000003e, arm64: 0xc00000b7 } as const;
export type SeccompArch = keyof typeof ARCH;

/** Blocked system calls (EPERM), by name, with their numbers per architecture. */
const BLOCKED: Record<string, { x64?: number; arm64?: number }> = {
  mount: { x64: 165, arm64: 40 }, umount2: { x64: 166, arm64: 39 }, pivot_root: { x64: 155, arm64: 41 },
  swapon: { x64: 167, arm64: 224 }, swapoff: { x64: 168, arm64: 225 }, reboot: { x64: 169, arm64: 142 },
  init_module: { x64: 175, arm64: 105 }, finit_module: { x64: 313, arm64: 273 }, delete_module: { x64: 176, arm64: 106 },
  create_module: { x64: 174 }, get_kernel_syms: { x64: 177 }, query_module: { x64: 178 },
  kexec_load: { x64: 246, arm64: 104 }, kexec_file_load: { x64: 320, arm64: 294 },
  bpf: { x64: 321, arm64: 280 }, perf_event_open: { x64: 298, arm64: 241 },
  keyctl: { x64: 250, arm64: 219 }, add_key: { x64: 248, arm64: 217 }, request_key: { x64: 249, arm64: 218 },
  open_by_handle_at: { x64: 304, arm64: 265 }, name_to_handle_at: { x64: 303, arm64: 264 },
  settimeofday: { x64: 164, arm64: 170 }, clock_settime: { x64: 227, arm64: 112 }, clock_adjtime: { x64: 305, arm64: 266 },
  adjtimex: { x64: 159, arm64: 171 }, acct: { x64: 163, arm64: 89 },
  unshare: { x64: 272, arm64: 97 }, setns: { x64: 308, arm64: 268 }, userfaultfd: { x64: 323, arm64: 282 },
  quotactl: { x64: 179, arm64: 60 }, lookup_dcookie: { x64: 212, arm64: 18 }, syslog: { x64: 103, arm64: 116 },
  vhangup: { x64: 153, arm64: 58 }, iopl: { x64: 172 }, ioperm: { x64: 173 }, uselib: { x64: 134 },
  ustat: { x64: 136 }, sysfs: { x64: 139 }, _sysctl: { x64: 156 }, nfsservctl: { x64: 180 },
  open_tree: { x64: 428, arm64: 428 }, move_mount: { x64: 429, arm64: 429 }, fsopen: { x64: 430, arm64: 430 },
  fsconfig: { x64: 431, arm64: 431 }, fsmount: { x64: 432, arm64: 432 }, fspick: { x64: 433, arm64: 433 },
  mount_setattr: { x64: 442, arm64: 442 },
};
const CLONE = { x64: 56, arm64: 220 };
const CLONE3 = { x64: 435, arm64: 435 };
/** CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET | NEWTIME. */
const CLONE_NAMESPACES = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x00000080;
/** x32 system calls (x86-64 numbers with this bit) would bypass a table of 64-bit numbers: refused. */
const X32_BIT = 0x40000000;

const EPERM = 1;
const ENOSYS = 38;
const RET_ALLOW = 0x7fff0000;
const RET_ERRNO = 0x00050000;
const RET_KILL_PROCESS = 0x80000000;

// BPF opcodes
const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const JSET_K = 0x45;
const RET_K = 0x06;

/** struct seccomp_data offsets. */
const OFF_NR = 0;
const OFF_ARCH = 4;
const OFF_ARG0_LOW = 16;

type Insn = [code: number, jt: number, jf: number, k: number];

/** The names of the system calls the filter refuses (for docs and tests). */
export function blockedSyscalls(): string[] {
  return Object.keys(BLOCKED);
}

/** The architecture of this process, when a filter can be built for it. */
export function currentArch(): SeccompArch | undefined {
  return process.arch === 'x64' ? 'x64' : process.arch === 'arm64' ? 'arm64' : undefined;
}

/** The filter program for `arch`, as the bytes bwrap's --seccomp reads. */
export function seccompProgram(arch: SeccompArch): Buffer {
  const blocked = Object.values(BLOCKED).map((n) => n[arch]).filter((n): n is number => n !== undefined);
  const p: Insn[] = [];
  // another architecture (e.g. 32-bit compat calls) cannot be checked against this table: kill
  p.push([LD_W_ABS, 0, 0, OFF_ARCH], [JEQ_K, 1, 0, ARCH[arch]], [RET_K, 0, 0, RET_KILL_PROCESS]);
  p.push([LD_W_ABS, 0, 0, OFF_NR]);
  if (arch === 'x64') p.push([JGE_K, 0, 1, X32_BIT], [RET_K, 0, 0, RET_ERRNO | EPERM]);
  for (const nr of blocked) p.push([JEQ_K, 0, 1, nr], [RET_K, 0, 0, RET_ERRNO | EPERM]);
  p.push([JEQ_K, 0, 1, CLONE3[arch]], [RET_K, 0, 0, RET_ERRNO | ENOSYS]);
  // clone: refuse namespace flags (arg 0 is the flags on both architectures)
  p.push([JEQ_K, 0, 3, CLONE[arch]], [LD_W_ABS, 0, 0, OFF_ARG0_LOW], [JSET_K, 0, 1, CLONE_NAMESPACES], [RET_K, 0, 0, RET_ERRNO | EPERM]);
  p.push([RET_K, 0, 0, RET_ALLOW]);
  const buf = Buffer.alloc(p.length * 8);
  p.forEach(([code, jt, jf, k], i) => {
    buf.writeUInt16LE(code, i * 8);
    buf.writeUInt8(jt, i * 8 + 2);
    buf.writeUInt8(jf, i * 8 + 3);
    buf.writeUInt32LE(k >>> 0, i * 8 + 4);
  });
  return buf;
}
