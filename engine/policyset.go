package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/bundle"
	"github.com/open-policy-agent/opa/v1/loader"

	"github.com/toolgate/toolgate/policies"
)

// PolicySet is a loaded, not yet compiled, set of Rego modules and data.
type PolicySet struct {
	Modules  map[string]*ast.Module
	Data     map[string]any
	Revision string
}

// testFileSuffix marks Rego unit tests. They are not part of the decision
// engine: tests run with policyctl test or opa test.
const testFileSuffix = "_test.rego"

// LoadFS loads every .rego module (tests excluded) and data.json/data.yaml
// document under root of fsys. As in OPA, a data file's directory relative
// to root is its data path: root "." of the embedded library puts
// toolgate/tools/data.json at data.toolgate.tools.
func LoadFS(fsys fs.FS, root string) (PolicySet, error) {
	res, err := loader.NewFileLoader().
		WithFS(fsys).
		WithRegoVersion(ast.RegoV1).
		WithProcessAnnotation(true).
		Filtered([]string{root}, skipTests)
	if err != nil {
		return PolicySet{}, fmt.Errorf("%w: load policies: %v", ErrPolicy, err)
	}
	return fromLoaded(res)
}

// LoadDir loads the policies in a directory on disk.
func LoadDir(dir string) (PolicySet, error) {
	if _, err := os.Stat(dir); err != nil {
		return PolicySet{}, fmt.Errorf("%w: policy directory: %v", ErrPolicy, err)
	}
	return LoadFS(os.DirFS(dir), ".")
}

// LoadBundleFile reads an OPA bundle (.tar.gz). Signature checks belong to
// the caller that configured keys (see Reader options in the bundle docs).
func LoadBundleFile(path string) (PolicySet, error) {
	f, err := os.Open(path)
	if err != nil {
		return PolicySet{}, fmt.Errorf("%w: open bundle: %v", ErrPolicy, err)
	}
	defer func() { _ = f.Close() }()
	b, err := bundle.NewReader(f).WithRegoVersion(ast.RegoV1).Read()
	if err != nil {
		return PolicySet{}, fmt.Errorf("%w: read bundle %s: %v", ErrPolicy, path, err)
	}
	return FromBundle(&b), nil
}

// FromBundle turns a parsed bundle into a PolicySet, dropping test modules.
func FromBundle(b *bundle.Bundle) PolicySet {
	mods := make(map[string]*ast.Module, len(b.Modules))
	for _, m := range b.Modules {
		if strings.HasSuffix(m.Path, testFileSuffix) {
			continue
		}
		mods[m.Path] = m.Parsed
	}
	ps := PolicySet{Modules: mods, Data: b.Data, Revision: b.Manifest.Revision}
	if ps.Data == nil {
		ps.Data = map[string]any{}
	}
	if ps.Revision == "" {
		ps.Revision = contentRevision(ps.Modules, ps.Data)
	}
	return ps
}

func skipTests(_ string, info fs.FileInfo, _ int) bool {
	return !info.IsDir() && strings.HasSuffix(info.Name(), testFileSuffix)
}

func fromLoaded(res *loader.Result) (PolicySet, error) {
	mods := make(map[string]*ast.Module, len(res.Modules))
	for name, m := range res.Modules {
		mods[name] = m.Parsed
	}
	if len(mods) == 0 {
		return PolicySet{}, fmt.Errorf("%w: no Rego modules found", ErrPolicy)
	}
	return PolicySet{Modules: mods, Data: res.Documents, Revision: contentRevision(mods, res.Documents)}, nil
}

// revisionLen is how many hex digits of the content hash name a revision.
const revisionLen = 12

// contentRevision names a policy set by a hash of its modules and data, so
// audit records can tell which rules and which catalog decided even without
// a bundle manifest. encoding/json sorts map keys: equal data, equal hash.
func contentRevision(mods map[string]*ast.Module, data map[string]any) string {
	names := make([]string, 0, len(mods))
	for n := range mods {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		h.Write([]byte(n))
		h.Write([]byte(mods[n].String()))
	}
	// data comes from JSON/YAML; an unencodable value only weakens the name
	d, _ := json.Marshal(data)
	h.Write(d)
	return "sha256:" + hex.EncodeToString(h.Sum(nil))[:revisionLen]
}

// LoadDefault loads the policy library embedded in the binary.
func LoadDefault() (PolicySet, error) {
	return LoadFS(policies.FS(), ".")
}
