#pragma once
/*
 * The contract between the lrtos kernel and its user programs: where user
 * memory is, how the user image starts, and the system calls.
 *
 * System calls: "svc #0" with the call number in x8 and up to three
 * arguments in x0..x2; the result comes back in x0, a negative errno value
 * on failure (the same convention as Linux on arm64). Every other register
 * is preserved.
 */

/*
 * User virtual memory: one 2 MiB window per process, the same addresses in
 * every process (each has its own TTBR0_EL1 tables and ASID). The image is
 * mapped at USER_BASE, the stack ends at USER_STACK_TOP, the rest is unmapped.
 * guests/lrtos/user/user.ld links the programs at USER_BASE.
 */
#define USER_BASE	 0x80000000UL
#define USER_WINDOW_SIZE 0x200000UL
#define USER_STACK_TOP	 (USER_BASE + USER_WINDOW_SIZE)
#define USER_STACK_SIZE	 0x2000UL

#define SYS_WRITE  0 /* write(fd 1 or 2, buf, len) -> bytes written */
#define SYS_FORK   1 /* fork() -> child pid in the parent, 0 in the child */
#define SYS_EXIT   2 /* exit(status), does not return */
#define SYS_GETPID 3 /* getpid() -> pid */
#define SYS_SLEEP  4 /* sleep(ms) -> 0; sleep(0) just yields the CPU */
#define SYS_CALLS  5

/* errno values, as in Linux. */
#define ENOEXEC 8
#define EBADF	9
#define EAGAIN	11
#define ENOMEM	12
#define EFAULT	14
#define ENOSYS	38

/* The user image begins with this header (emitted by user/crt0.S). */
#define USER_IMAGE_MAGIC   0x5354524CU /* "LRTS" in memory order */
#define USER_IMAGE_VERSION 1U

#ifndef __ASSEMBLY__
#include <stdint.h>

struct user_image_header {
	uint32_t magic;
	uint32_t version;
	uint64_t entry;	   /* _start */
	uint64_t base;	   /* link address of the header, must be USER_BASE */
	uint64_t text_end; /* page aligned: [base, text_end) is code and read-only data */
	uint64_t data_end; /* [text_end, data_end) is initialised data */
	uint64_t bss_end;  /* page aligned: [data_end, bss_end) is zeroed */
};
#endif
