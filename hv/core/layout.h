#pragma once
/*
 * How the hypervisor divides the ARM's RAM. The low 16 MiB belong to the
 * hypervisor: the firmware's spin tables below 0x80000, the hypervisor image
 * at 0x80000, and room for its own tables and VM structures. Everything above,
 * up to the end of the ARM's RAM (the firmware says where), is for VMs.
 */
#define HV_RESERVED_END 0x01000000UL
#define HV_IMAGE_BASE	0x00080000UL
#define HV_IMAGE_MAX_END                                                                           \
	0x00200000UL /* the MMU maps the image with the first 2 MiB of 4 KiB pages */
