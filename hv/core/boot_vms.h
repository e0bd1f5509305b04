#pragma once
/*
 * The VMs started at boot: read from the configuration file on the SD card
 * (avisor.cfg, docs/configuration.md). Every bad line and every VM that
 * cannot start is reported; the others start.
 */

#define BOOT_CONFIG_FILE "avisor.cfg"

/*
 * Creates the VMs and queues the loads of their files, which run after the
 * shell's first prompt (loader.h); each VM's start is reported when its
 * files are in, then "boot: VMs started N us after power-on" when all are.
 */
void boot_vms_create(void);
