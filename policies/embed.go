// Package policies carries toolgate's default policy bundle: the Rego library
// (package toolgate and its concern packages), the tool catalog
// (data.toolgate.tools) and the default site settings (data.toolgate.settings).
//
// The files sit under "toolgate/". Load the FS from its root (Root, "."): a
// loader that mounts data files by their directory, as OPA's does, then puts
// toolgate/tools/data.json at data.toolgate.tools and toolgate/settings/data.json
// at data.toolgate.settings (loading from "toolgate" would mount them at
// data.tools and data.settings). The FS includes the *_test.rego files; loaders
// that build the decision query are expected to leave them out.
package policies

import (
	"embed"
	"io/fs"
)

//go:embed toolgate
var bundle embed.FS

// Root is the path to load FS from so that data lands under data.toolgate.
const Root = "."

// FS returns the default bundle as a read-only file system.
func FS() fs.FS { return bundle }
