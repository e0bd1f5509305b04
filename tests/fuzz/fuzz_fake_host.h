#pragma once
/*
 * For fuzz targets that drive a device model with the unit tests' fake
 * hypervisor side (tests/unit/fake_vdev_host.c): its checks are cmocka
 * assertions, which outside a cmocka test run must abort so that libFuzzer
 * reports them as crashes. Include once per target.
 */
#include <stdlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("CMOCKA_TEST_ABORT", "1", 1);
	return 0;
}
