#include "core/version.h"

#ifndef AVISOR_VERSION
#define AVISOR_VERSION "unknown"
#endif

const char avisor_release[] = AVISOR_RELEASE;
const char avisor_build[] = AVISOR_VERSION;
