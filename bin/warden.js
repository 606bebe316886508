#!/usr/bin/env node
// Entry for `npx warden`: runs the compiled CLI (built by `npm ci` through the prepare script).
import '../dist/src/main.js'
