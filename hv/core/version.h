#pragma once

#define AVISOR_RELEASE "0.1.0"

/* The release and the source revision it was built from (git describe). */
extern const char avisor_release[];
extern const char avisor_build[];
