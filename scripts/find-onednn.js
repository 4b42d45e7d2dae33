#!/usr/bin/env node
// Prints 1 when the oneDNN 2.x development files are installed (Debian: libdnnl-dev), else 0;
// native/binding.gyp builds the oneDNN convolutions only then. oneDNN 3 dropped the
// *_desc_init API native/ssgan_dnnl.c uses, and would fail the whole addon's build.
// SSGAN_NO_ONEDNN=1 builds without it (the im2col convolutions).
import { existsSync, readFileSync } from 'node:fs';

const header = ['/usr/include/oneapi/dnnl/dnnl_version.h', '/usr/include/dnnl_version.h'].find((h) => existsSync(h));
const major = header ? /#define\s+DNNL_VERSION_MAJOR\s+(\d+)/.exec(readFileSync(header, 'utf8'))?.[1] : undefined;
console.log(major === '2' && existsSync('/usr/include/dnnl.h') && !process.env.SSGAN_NO_ONEDNN ? 1 : 0);
