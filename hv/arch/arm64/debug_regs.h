#pragma once
/*
 * The hardware breakpoint and watchpoint registers DBGBVR<n>_EL1,
 * DBGBCR<n>_EL1, DBGWVR<n>_EL1 and DBGWCR<n>_EL1, n = 0-15, written by
 * number (MSR needs the register name at assembly time).
 */
#include <stdint.h>

enum debug_point_reg { DEBUG_BVR, DEBUG_BCR, DEBUG_WVR, DEBUG_WCR };

void debug_regs_write(enum debug_point_reg reg, unsigned int n, uint64_t value);
