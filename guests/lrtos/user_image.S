/*
 * The user programs (guests/lrtos/user, linked at USER_BASE and turned into
 * a flat binary by guests.mk), embedded in the kernel's read-only data.
 * The kernel copies them into each new process's own pages.
 */
	.section .rodata
	.balign	16
	.global	user_image_start
user_image_start:
	.incbin	LRTOS_USER_IMAGE
	.global	user_image_end
user_image_end:
