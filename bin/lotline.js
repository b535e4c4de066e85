#!/usr/bin/env node
// The package's command: runs the TypeScript sources directly (Node >= 22.18 strips types).
import '../src/cli/main.ts';
