// Nothing to compile: this target only carries the precompiled header others reuse.
