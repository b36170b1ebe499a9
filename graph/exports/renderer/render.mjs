// Draw a Graphviz DOT graph (read on stdin) without Debian's graphviz: layout and SVG by
// Graphviz compiled to WebAssembly (@viz-js/viz), PNG by resvg (@resvg/resvg-js).
// Usage: node render.mjs svg|png [DPI]; the picture goes to stdout, errors to stderr (exit 1).
import { instance } from "@viz-js/viz";
import { Resvg } from "@resvg/resvg-js";

const [output, dpiText = "96"] = process.argv.slice(2);
if (output !== "svg" && output !== "png") {
  process.stderr.write("usage: node render.mjs svg|png [DPI]\n");
  process.exit(2);
}
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const viz = await instance();
const result = viz.render(Buffer.concat(chunks).toString("utf8"), { format: "svg" });
if (result.status !== "success") {
  process.stderr.write(result.errors.map((e) => `${e.level}: ${e.message}`).join("\n") + "\n");
  process.exit(1);
}
if (output === "svg") {
  process.stdout.write(result.output);
} else {
  // Graphviz sizes its SVG in points; resvg draws a point as 96/72 pixels, i.e. at 96 dpi.
  const resvg = new Resvg(result.output, {
    fitTo: { mode: "zoom", value: Number(dpiText) / 96 },
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" },
    background: "white",
  });
  process.stdout.write(resvg.render().asPng());
}
