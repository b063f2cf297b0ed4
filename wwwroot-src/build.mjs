// Copies vendored packages and our own sources into Marketplace.Web/wwwroot, which is
// build output only: run via `npm run build`, or by the MSBuild target in Marketplace.Web.csproj.
import { cp, mkdir, readdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const wwwroot = join(here, "..", "Marketplace.Web", "wwwroot");
const modules = join(here, "node_modules");

const copies = [
  [join(modules, "htmx.org", "dist", "htmx.min.js"), join(wwwroot, "lib", "htmx.min.js")],
  [join(modules, "htmx.org", "LICENSE"), join(wwwroot, "lib", "htmx.LICENSE.txt")],
  [join(modules, "@picocss", "pico", "css", "pico.min.css"), join(wwwroot, "lib", "pico.min.css")],
  [join(modules, "@picocss", "pico", "LICENSE.md"), join(wwwroot, "lib", "pico.LICENSE.md")],
  [join(here, "src", "site.css"), join(wwwroot, "css", "site.css")],
  [join(here, "src", "favicon.ico"), join(wwwroot, "favicon.ico")],
];

for (const name of await readdir(join(here, "src"))) {
  if (name.endsWith(".js")) copies.push([join(here, "src", name), join(wwwroot, "js", name)]);
}

// Start from empty folders so a file deleted from src/ does not linger in wwwroot.
for (const folder of ["lib", "js", "css"]) {
  await rm(join(wwwroot, folder), { recursive: true, force: true });
  await mkdir(join(wwwroot, folder), { recursive: true });
}

for (const [from, to] of copies) {
  await cp(from, to);
}

console.log(`wwwroot-src: wrote ${copies.length} files into ${wwwroot}`);
