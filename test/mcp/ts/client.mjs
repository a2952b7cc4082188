// The official TypeScript MCP client through `policyctl mcp-proxy` (stdio):
// one allowed and one denied tools/call. Run by test/mcp/ts_test.go:
//   node client.mjs POLICYCTL WORKSPACE -- SERVER_CMD [ARG...]
// Prints one JSON object with what the client received.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [policyctl, workspace, sep, ...server] = process.argv.slice(2);
if (!policyctl || !workspace || sep !== "--" || server.length === 0) {
  console.error("usage: node client.mjs POLICYCTL WORKSPACE -- SERVER_CMD [ARG...]");
  process.exit(2);
}

const transport = new StdioClientTransport({
  command: policyctl,
  args: ["mcp-proxy", "--principal", "dana", "--role", "developer", "--workspace", workspace, "--", ...server],
  env: { ...process.env, TOOLGATE_LOG_LEVEL: "error" },
  stderr: "inherit",
});
const client = new Client({ name: "toolgate-ts-test", version: "1.0.0" });
await client.connect(transport);

const texts = (res) => res.content.filter((c) => c.type === "text").map((c) => c.text).join("");
const { tools } = await client.listTools();
const allowed = await client.callTool({ name: "read_file", arguments: { path: "notes.txt" } });
const denied = await client.callTool({ name: "read_file", arguments: { path: "../../../etc/shadow" } });
await client.close();

console.log(JSON.stringify({
  server: client.getServerVersion()?.name,
  tools: tools.map((t) => t.name).sort(),
  allowed: { isError: allowed.isError ?? false, text: texts(allowed) },
  denied: { isError: denied.isError ?? false, text: texts(denied), refusal: denied._meta?.["toolgate/refusal"] },
}));
