#include "arch/arm64/debug_regs.h"
#include "arch/arm64/sysreg.h"

#define WRITE_CASE(name, n, value)                                                                 \
	case n:                                                                                    \
		write_sysreg(name##n##_el1, value);                                                \
		break
#define WRITE_ALL(name, n, value)                                                                  \
	switch (n) {                                                                               \
		WRITE_CASE(name, 0, value);                                                        \
		WRITE_CASE(name, 1, value);                                                        \
		WRITE_CASE(name, 2, value);                                                        \
		WRITE_CASE(name, 3, value);                                                        \
		WRITE_CASE(name, 4, value);                                                        \
		WRITE_CASE(name, 5, value);                                                        \
		WRITE_CASE(name, 6, value);                                                        \
		WRITE_CASE(name, 7, value);                                                        \
		WRITE_CASE(name, 8, value);                                                        \
		WRITE_CASE(name, 9, value);                                                        \
		WRITE_CASE(name, 10, value);                                                       \
		WRITE_CASE(name, 11, value);                                                       \
		WRITE_CASE(name, 12, value);                                                       \
		WRITE_CASE(name, 13, value);                                                       \
		WRITE_CASE(name, 14, value);                                                       \
		WRITE_CASE(name, 15, value);                                                       \
	default:                                                                                   \
		break;                                                                             \
	}

void debug_regs_write(enum debug_point_reg reg, unsigned int n, uint64_t value)
{
	switch (reg) {
	case DEBUG_BVR:
		WRITE_ALL(dbgbvr, n, value);
		break;
	case DEBUG_BCR:
		WRITE_ALL(dbgbcr, n, value);
		break;
	case DEBUG_WVR:
		WRITE_ALL(dbgwvr, n, value);
		break;
	case DEBUG_WCR:
		WRITE_ALL(dbgwcr, n, value);
		break;
	}
}
