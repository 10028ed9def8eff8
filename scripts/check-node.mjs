// npm falls back to the machine's Node when the `node` devDependency was not installed:
// fail loudly instead of running on an unsupported runtime.
const major = Number(process.versions.node.split('.')[0]);
if (major !== 24) {
  console.error(
    `burnrate needs Node 24 (found ${process.versions.node}). Run \`npm ci\` so that the node@24 devDependency is used.`,
  );
  process.exit(1);
}
