package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/toolgate/toolgate/audit"
	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/internal/config"
	"github.com/toolgate/toolgate/mcpgate"
)

// Environment defaults of the proxy's principal flags, for MCP client
// configs that set env more easily than args.
const (
	envMCPPrincipal = "TOOLGATE_MCP_PRINCIPAL"
	envMCPRoles     = "TOOLGATE_MCP_ROLES" // comma-separated
	envMCPTenant    = "TOOLGATE_MCP_TENANT"
)

type mcpProxyFlags struct {
	principal, tenant, server, policyDir, workspace string
	listen, upstream                                string
	roles                                           []string
	approve                                         bool
}

func newMCPProxyCmd(s streams) *cobra.Command {
	var f mcpProxyFlags
	cmd := &cobra.Command{
		Use:   "mcp-proxy [flags] -- SERVER_CMD [ARG...] | mcp-proxy [flags] --listen ADDR --upstream URL",
		Short: "Guard an MCP server: check every tools/call, filter tools/list, check results",
		Long: `Sits between an MCP client and an MCP server. Over stdio it runs SERVER_CMD and speaks
MCP on its own stdin/stdout; with --listen and --upstream it serves streamable HTTP in
front of the upstream endpoint. Every tools/call is decided by the policies (denied
calls never reach the server and get an MCP tool error naming the violation codes),
tools/list only shows tools the principal may call, and results pass the response
policy (secrets redacted or the result withheld). Everything else passes through.

The principal is --principal/--role/--tenant (or TOOLGATE_MCP_PRINCIPAL, _ROLES,
_TENANT); over HTTP with auth configured (auth.tokens, auth.jwt) it is the
authenticated caller, and without auth the proxy only listens on loopback.`,
		RunE: func(cmd *cobra.Command, args []string) error { return runMCPProxy(cmd, s, f, args) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.principal, "principal", os.Getenv(envMCPPrincipal), "principal id calls are made for")
	fl.StringSliceVar(&f.roles, "role", splitList(os.Getenv(envMCPRoles)), "role of the principal (repeatable)")
	fl.StringVar(&f.tenant, "tenant", os.Getenv(envMCPTenant), "tenant of the principal")
	fl.StringVar(&f.server, "server-name", "", "server name in call documents (default: the command's base name or the upstream host)")
	fl.StringVar(&f.policyDir, "policies", "", "policy directory (default: config, else embedded)")
	fl.StringVar(&f.workspace, "workspace", "", "workspace directory (default: config)")
	fl.StringVar(&f.listen, "listen", "", "serve streamable HTTP on this address (needs --upstream)")
	fl.StringVar(&f.upstream, "upstream", "", "URL of the upstream MCP endpoint (with --listen)")
	fl.BoolVar(&f.approve, "approve", false, "approve in advance every call the policy marks require_approval")
	return cmd
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func runMCPProxy(cmd *cobra.Command, s streams, f mcpProxyFlags, args []string) error {
	httpMode := f.listen != "" || f.upstream != ""
	switch {
	case httpMode && (f.listen == "" || f.upstream == "" || len(args) > 0):
		return exitWith(exitUsage, errors.New("HTTP mode needs --listen and --upstream and no server command"))
	case !httpMode && len(args) == 0:
		return exitWith(exitUsage, errors.New("give the server command after --, or --listen and --upstream"))
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, err := loadConfig(cmd)
	if err != nil {
		return err
	}
	if !httpMode && cfg.Audit.Sink == audit.SinkStdout {
		return exitWith(exitUsage, errors.New("audit.sink stdout would corrupt the MCP stream on stdout; use a file"))
	}
	if f.server == "" {
		f.server = defaultServerName(f, args)
	}
	gate, closeFn, err := mcpGate(ctx, cfg, f, mcpLogger(s, cfg.Log.Level))
	if err != nil {
		return err
	}
	defer closeFn()
	if httpMode {
		return serveMCPHTTP(ctx, cfg, f, gate, s)
	}
	return serveMCPStdio(ctx, f, gate, s, args)
}

// mcpLogger logs to stderr: in stdio mode stdout is the MCP stream.
func mcpLogger(s streams, level string) zerolog.Logger {
	lvl, err := zerolog.ParseLevel(level)
	if err != nil || lvl == zerolog.NoLevel {
		lvl = zerolog.WarnLevel
	}
	return zerolog.New(s.err).Level(lvl).With().Timestamp().Str("component", "mcp-proxy").Logger()
}

func defaultServerName(f mcpProxyFlags, args []string) string {
	if len(args) > 0 {
		return filepath.Base(args[0])
	}
	return strings.TrimPrefix(strings.TrimPrefix(f.upstream, "https://"), "http://")
}

// mcpGate builds engine, coordinator (with the configured audit log) and
// gate.
func mcpGate(ctx context.Context, cfg config.Config, f mcpProxyFlags, log zerolog.Logger) (*mcpgate.Gate, func(), error) {
	if f.workspace != "" {
		ws, err := filepath.Abs(f.workspace)
		if err != nil {
			return nil, nil, exitWith(exitUsage, err)
		}
		cfg.Workspace = ws
	}
	eng, err := newEngine(ctx, cfg, f.policyDir)
	if err != nil {
		return nil, nil, err
	}
	auditLog, err := audit.Open(cfg.Audit)
	if err != nil {
		return nil, nil, exitWith(exitUsage, err)
	}
	closeFn := func() {
		if err := auditLog.Close(); err != nil {
			log.Error().Err(err).Msg("closing the audit log")
		}
	}
	opts := []coordinator.Option{coordinator.WithLimits(cfg.Limits), coordinator.WithAuditor(auditLog), coordinator.WithLogger(log)}
	if f.approve {
		log.Warn().Msg("--approve: calls that require approval run without asking anyone")
		opts = append(opts, coordinator.WithApprover(flagApprover{}))
	}
	coord, err := coordinator.New(eng, opts...)
	if err == nil && !eng.HasResponsePolicy() {
		log.Warn().Msg("the policies define no data.toolgate.response.decision: tool results are not checked")
	}
	var gate *mcpgate.Gate
	if err == nil {
		gate, err = mcpgate.New(coord, mcpgate.WithEngine(eng), mcpgate.WithServerName(f.server), mcpgate.WithLogger(log),
			mcpgate.WithLimits(cfg.Limits))
	}
	if err != nil {
		closeFn()
		return nil, nil, exitWith(exitUsage, err)
	}
	return gate, closeFn, nil
}

func (f mcpProxyFlags) staticPrincipal() (engine.Principal, error) {
	if f.principal == "" {
		return engine.Principal{}, fmt.Errorf("name the principal: --principal or %s", envMCPPrincipal)
	}
	return engine.Principal{ID: f.principal, Roles: f.roles, Tenant: f.tenant}, nil
}
