#pragma once
/*
 * The VMs started at boot: read from the configuration file on the SD card
 * (avisor.cfg, docs/configuration.md). Every bad line and every VM that
 * cannot start is reported; the others start.
 */

#define BOOT_CONFIG_FILE "avisor.cfg"

void boot_vms_create(void);
