/*
 * lrtos: a tiny operating system, and a guest for aVisor.
 *
 * The kernel runs at EL1 with its own stage-1 translation tables, the MMU
 * and the caches on. User processes run at EL0, each in its own address
 * space, and enter the kernel with SVC (write, fork, exit, getpid, sleep).
 * A 10 ms timer tick drives a preemptive round-robin scheduler; when no
 * process is runnable the core sleeps in WFI. A process that faults is
 * killed with a report, and the others keep running.
 *
 * At boot the kernel starts one process from the user image embedded in
 * it (user/): process 1, which forks process 2; they print "12345" and
 * "abcde" a character at a time, and process 1 later forks a process that
 * faults on purpose and one that exits.
 */
#include "lib/boot.h"
#include "lib/sysreg.h"
#include "lib/uart.h"
#include "lrtos/image.h"
#include "lrtos/log.h"
#include "lrtos/mmu.h"
#include "lrtos/page.h"
#include "lrtos/proc.h"
#include "lrtos/tick.h"
#include "lrtos/trap.h"

/* CNTKCTL_EL1.EL0VCTEN (bit 1): EL0 may read CNTVCT_EL0 and CNTFRQ_EL0. */
#define CNTKCTL_EL0VCTEN (1UL << 1)

int main(void)
{
	int pid;

	uart_init();
	klog("a tiny OS with EL0 processes and a preemptive scheduler "
	     "(entered at EL%u, running at EL%u)",
	     (unsigned int)boot_entry_el, current_el());
	mmu_init();
	page_pool_init((uintptr_t)__image_end, GUEST_RAM_LIMIT);
	klog("MMU and caches on, kernel image 0x%lx-0x%lx, %zu KiB free for processes",
	     (unsigned long)__image_start, (unsigned long)__image_end,
	     page_free_count() * PAGE_SIZE / 1024);
	/* User programs time their busy loops with the virtual counter. */
	write_sysreg(cntkctl_el1, CNTKCTL_EL0VCTEN);
	proc_init();
	trap_init();
	tick_start();
	/* Two linker-placed symbols: compare addresses, not pointers into one C object. */
	pid = proc_spawn(user_image_start,
			 (size_t)((uintptr_t)user_image_end - (uintptr_t)user_image_start));
	if (pid < 0) {
		klog("cannot start the first process (error %d)", pid);
		halt();
	}
	klog("started process %d; scheduler tick every %d ms (system timer C3)", pid, TICK_MS);
	sched_idle();
}
