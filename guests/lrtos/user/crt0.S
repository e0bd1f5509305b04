/*
 * Start of the user image: the header the kernel's loader checks
 * (struct user_image_header in abi.h), then the entry point. The kernel
 * enters _start at EL0 with SP at the top of the stack and every other
 * register zero; .bss is already zeroed.
 */
#include "lrtos/abi.h"

	.section .header, "a"
	.word	USER_IMAGE_MAGIC
	.word	USER_IMAGE_VERSION
	.quad	_start
	.quad	__user_base
	.quad	__text_end
	.quad	__data_end
	.quad	__bss_end

	.section .text.crt0, "ax"
	.global	_start
_start:
	bl	main
	bl	exit		/* exit(main's return value); never returns */
