#pragma once
/*
 * Synchronous exceptions from EL0: system calls (SVC) and everything a
 * process can do wrong (aborts, undefined instructions, ...), which kills
 * the process with a report and lets the others run on.
 */
#include "lib/trap_frame.h"

void trap_init(void);

/* Runs the system call in tf->x[8] and puts its result in tf->x[0] (syscall.c). */
void syscall_handle(struct trap_frame *tf);
