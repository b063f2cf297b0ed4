// Writes Marketplace.Web/wwwroot, which is build output only: run via `npm run build`, or by
// the MSBuild target in Marketplace.Web.csproj. Our modules are bundled and minified by esbuild,
// one bundle per page entry in src/pages (pages/app.js, with htmx, on every page); vendored
// CSS and licences are copied. The app serves all of it through MapStaticAssets, which
// fingerprints the URLs and precompresses the files.
import { cp, mkdir, readdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const wwwroot = join(here, "..", "Marketplace.Web", "wwwroot");
const modules = join(here, "node_modules");
const pages = join(here, "src", "pages");

const copies = [
  [join(modules, "htmx.org", "LICENSE"), join(wwwroot, "lib", "htmx.LICENSE.txt")],
  [join(modules, "@picocss", "pico", "css", "pico.min.css"), join(wwwroot, "lib", "pico.min.css")],
  [join(modules, "@picocss", "pico", "LICENSE.md"), join(wwwroot, "lib", "pico.LICENSE.md")],
  [join(here, "src", "favicon.ico"), join(wwwroot, "favicon.ico")],
];

// Start from empty folders so a file deleted from src/ does not linger in wwwroot.
for (const folder of ["lib", "js", "css"]) {
  await rm(join(wwwroot, folder), { recursive: true, force: true });
  await mkdir(join(wwwroot, folder), { recursive: true });
}

for (const [from, to] of copies) {
  await cp(from, to);
}

const entries = (await readdir(pages)).filter((name) => name.endsWith(".js")).map((name) => join(pages, name));
// No code splitting: a page loads app.js and at most one page bundle, so shared chunks would only add requests.
const scripts = await build({
  entryPoints: entries,
  outdir: join(wwwroot, "js"),
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2022",
  legalComments: "eof",
  metafile: true,
  logLevel: "warning",
});
await build({
  entryPoints: [join(here, "src", "site.css")],
  outdir: join(wwwroot, "css"),
  minify: true,
  logLevel: "warning",
});

const sizes = Object.entries(scripts.metafile.outputs).map(([file, output]) => `${file.split("/").pop()} ${output.bytes} B`);
console.log(`wwwroot-src: copied ${copies.length} files, bundled ${entries.length} pages (${sizes.join(", ")}) and site.css into ${wwwroot}`);
