#pragma once
/*
 * The VMs started at boot. One static table in one place, until the SD
 * card's configuration file replaces it.
 */

/* Creates every VM of the boot table; reports each one that fails and goes on. */
void boot_vms_create(void);
