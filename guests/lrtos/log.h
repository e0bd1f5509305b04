#pragma once
/*
 * Kernel messages: "lrtos: ..." on a line of their own, even when a user
 * process has left the console in the middle of a line.
 */
void klog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
