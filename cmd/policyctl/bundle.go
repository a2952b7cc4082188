package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/open-policy-agent/opa/v1/bundle"
	"github.com/spf13/cobra"

	"github.com/toolgate/toolgate/engine"
	"github.com/toolgate/toolgate/internal/config"
	"github.com/toolgate/toolgate/internal/reload"
)

// defaultSigningAlg is OPA's default bundle signing algorithm.
const defaultSigningAlg = "RS256"

// signFlags are the flags that name a key.
type signFlags struct {
	keyFile, alg, keyID string
}

func (f *signFlags) register(cmd *cobra.Command, keyFlag, keyHelp string) {
	cmd.Flags().StringVar(&f.keyFile, keyFlag, "", keyHelp)
	cmd.Flags().StringVar(&f.alg, "signing-alg", defaultSigningAlg, "signature algorithm (RS256, ES256, PS256, HS256, …)")
	cmd.Flags().StringVar(&f.keyID, "key-id", "default", "key id recorded in / expected from the signature")
}

func newBundleCmd(s streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bundle",
		Short: "Build, sign and verify OPA policy bundles for policyctl serve",
		Long: `Bundles are OPA's format (.tar.gz with .manifest and .signatures.json); opa build
and opa sign produce the same. policyctl serve reloads them from policies.bundle or
policies.url and refuses any that fails verify (docs/fleet.md).`,
	}
	cmd.AddCommand(newBundleBuildCmd(s), newBundleSignCmd(s), newBundleVerifyCmd(s))
	return cmd
}

func newBundleBuildCmd(s streams) *cobra.Command {
	var out, revision string
	var sf signFlags
	cmd := &cobra.Command{
		Use:   "build DIR -o FILE",
		Short: "Package a policy directory, tests included, as a bundle (optionally signed)",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if out == "" {
				return exitWith(exitUsage, fmt.Errorf("-o FILE is required"))
			}
			b, err := reload.BuildBundle(args[0], revision)
			if err != nil {
				return exitWith(exitPolicy, err)
			}
			if sf.keyFile != "" {
				if err := signWith(b, sf); err != nil {
					return err
				}
			}
			var buf bytes.Buffer
			if err := reload.WriteBundle(&buf, b); err != nil {
				return exitWith(exitPolicy, err)
			}
			if err := writeFileAtomic(out, buf.Bytes()); err != nil {
				return exitWith(exitUsage, err)
			}
			_, _ = fmt.Fprintf(s.out, "wrote %s: %d modules, revision %q, signed: %t\n", out, len(b.Modules), revision, sf.keyFile != "")
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "bundle file to write")
	cmd.Flags().StringVar(&revision, "revision", "", "revision recorded in the manifest (default: none, serve then uses a content hash)")
	sf.register(cmd, "signing-key", "sign with this private key (PEM) or HMAC secret file")
	return cmd
}

func newBundleSignCmd(s streams) *cobra.Command {
	var out string
	var sf signFlags
	cmd := &cobra.Command{
		Use:   "sign FILE --signing-key KEY [-o OUT]",
		Short: "Sign (or re-sign) an existing bundle",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if sf.keyFile == "" {
				return exitWith(exitUsage, fmt.Errorf("--signing-key is required"))
			}
			data, err := os.ReadFile(args[0])
			if err != nil {
				return exitWith(exitUsage, err)
			}
			b, err := reload.ReadBundle(data, nil)
			if err != nil {
				return exitWith(exitPolicy, err)
			}
			if err := signWith(b, sf); err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := reload.WriteBundle(&buf, b); err != nil {
				return exitWith(exitPolicy, err)
			}
			if out == "" {
				out = args[0]
			}
			if err := writeFileAtomic(out, buf.Bytes()); err != nil {
				return exitWith(exitUsage, err)
			}
			_, _ = fmt.Fprintf(s.out, "signed %s with key %q (%s)\n", out, sf.keyID, sf.alg)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "signed bundle to write (default: replace FILE)")
	sf.register(cmd, "signing-key", "private key (PEM) or HMAC secret file")
	return cmd
}

func newBundleVerifyCmd(s streams) *cobra.Command {
	var sf signFlags
	var scope string
	var noTests bool
	cmd := &cobra.Command{
		Use:   "verify FILE [--verification-key PUB]",
		Short: "Run the checks serve runs before loading a bundle: signature, tests, compile",
		Long: `Exit status: 0 serve would load it, 3 bad signature or does not compile,
4 its tests fail (or it has none), 2 bad usage.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var signing config.Signing
			if sf.keyFile != "" {
				signing = config.Signing{Scope: scope, Keys: []config.Key{{ID: sf.keyID, Algorithm: sf.alg, File: sf.keyFile}}}
			}
			rev, err := verifyBundle(cmd.Context(), args[0], signing, !noTests)
			if err != nil {
				return err
			}
			_, _ = fmt.Fprintf(s.out, "%s: ok, revision %s, signature checked: %t, tests run: %t\n",
				args[0], rev, sf.keyFile != "", !noTests)
			return nil
		},
	}
	sf.register(cmd, "verification-key", "public key (PEM) or HMAC secret file; without it the signature is not checked")
	cmd.Flags().StringVar(&scope, "scope", "", "scope the signature must carry")
	cmd.Flags().BoolVar(&noTests, "no-tests", false, "skip the bundle's Rego tests")
	return cmd
}

// verifyBundle is the reload gate, run once.
func verifyBundle(ctx context.Context, path string, signing config.Signing, tests bool) (string, error) {
	vc, err := reload.Verification(signing)
	if err != nil {
		return "", exitWith(exitUsage, err)
	}
	if _, err := os.Stat(path); err != nil {
		return "", exitWith(exitUsage, err)
	}
	r := reload.New(reload.NewFile(path, config.DefaultPollInterval, vc), reload.WithTests(tests))
	ps, err := r.First(ctx)
	if err != nil {
		if reload.StageOf(err) == reload.StageTests {
			return "", exitWith(exitTestsFailed, err)
		}
		return "", exitWith(exitPolicy, err)
	}
	eng, err := engine.New(ctx, ps)
	if err != nil {
		return "", exitWith(exitPolicy, fmt.Errorf("compile: %w", err))
	}
	return eng.Revision(), nil
}

func signWith(b *bundle.Bundle, sf signFlags) error {
	key, err := os.ReadFile(sf.keyFile)
	if err != nil {
		return exitWith(exitUsage, err)
	}
	if err := reload.SignBundle(b, key, sf.alg, sf.keyID); err != nil {
		return exitWith(exitUsage, err)
	}
	return nil
}

// writeFileAtomic writes through a temporary file and a rename, so a
// polling server never reads half a bundle.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".bundle-*")
	if err != nil {
		return err
	}
	defer func() { _ = os.Remove(tmp.Name()) }()
	if err := tmp.Chmod(0o644); err != nil {
		_ = tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
