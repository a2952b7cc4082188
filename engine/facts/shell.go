package facts

import (
	"fmt"
	"math/bits"
	"slices"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Limits of ParseShell.
const (
	maxShellBytes      = 64 << 10 // the command text
	maxShellTotalBytes = 4 * maxShellBytes
	maxShellDepth      = 4    // nested `bash -c` / eval / heredoc-to-shell levels
	maxShellCommands   = 1024 // command entries, wrapped ones included
	maxWrapHops        = 8    // sudo env nice timeout … chains
	maxShellFunctions  = 256  // function definitions (the recursion check is quadratic in them)
	maxAssignments     = 1024 // variable assignments (NAME=value)
	// maxAuxNodes bounds the syntax nodes visited again to name the
	// commands of pipeline stages and function bodies.
	maxAuxNodes = 1 << 18
)

// ShellFact is SHELL_FACT of docs/input-and-decision.md.
type ShellFact struct {
	OK        bool
	Error     string
	Commands  []ShellCommand
	Pipelines [][]string
	Redirects []ShellRedirect
	Features  []string // sorted, unique
	// Assignments are the variable assignments anywhere in the text, as
	// NAME=value (value as Args hold words): f=/etc/shadow; cat $f names
	// the file only in the assignment.
	Assignments []string
}

// ShellCommand is one simple command. Name is the base name of Argv0;
// Dynamic is set when the command word is not a literal (an expansion or a
// substitution), and then Argv0 and Name hold its source text. Args are
// literal values with quotes resolved, or the source text of a non-literal
// word.
type ShellCommand struct {
	Name    string
	Argv0   string
	Args    []string
	Dynamic bool
}

// ShellRedirect is one redirection: its operator and target word.
type ShellRedirect struct {
	Op     string
	Target string
}

// Shell features, one bit each.
const (
	featCommandSubst uint32 = 1 << iota
	featProcessSubst
	featParamExp
	featIFS
	featANSIC
	featHexEscape
	featEval
	featBackground
	featFuncDef
	featRecursiveFunc
	featDevTCP
	featNestedShell
	featBraceExpansion
	featureCount = iota
)

// featureNames are indexed by bit number; they are the contract's names.
var featureNames = [featureCount]string{
	"command_substitution", "process_substitution", "parameter_expansion", "ifs",
	"ansi_c_quoting", "hex_escape", "eval", "background", "function_definition",
	"recursive_function", "dev_tcp", "nested_shell", "brace_expansion",
}

// ParseShell builds the shell fact of cmd with mvdan.cc/sh (bash dialect).
// Every simple command anywhere in the tree is listed: in pipelines, lists,
// subshells, blocks, substitutions, function bodies and compound commands.
// Wrappers (sudo, env, nohup, timeout, nice, xargs, busybox, find -exec, …)
// are listed together with the command they run, and shell text handed to
// another shell (bash -c, su -c, eval, trap, alias, watch, env -S, a heredoc
// or `echo … |` into a shell) is parsed too, up to maxShellDepth levels.
// Text the parser refuses, or beyond a bound, gives ok=false.
func ParseShell(cmd string) (f ShellFact) {
	if len(cmd) > maxShellBytes {
		return ShellFact{Error: fmt.Sprintf("shell text longer than %d bytes", maxShellBytes)}
	}
	defer func() {
		// The parser is third-party code fed hostile input: a panic in it
		// must become a refusal, not a crashed decision.
		if r := recover(); r != nil {
			f = ShellFact{Error: fmt.Sprintf("shell parser failed: %v", r)}
		}
	}()
	w := shellWalker{budget: maxShellTotalBytes, nodeBudget: maxAuxNodes}
	if err := w.parse(cmd, 0); err != nil {
		return ShellFact{Error: err.Error()}
	}
	if w.hasRecursion() {
		w.features |= featRecursiveFunc
	}
	f = w.fact
	f.OK = true
	f.Features = featureList(w.features)
	return f
}

func featureList(set uint32) []string {
	out := make([]string, 0, bits.OnesCount32(set))
	for i, name := range featureNames {
		if set&(1<<i) != 0 {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// Term returns the fact as an OPA object.
func (f ShellFact) Term() *ast.Term {
	if !f.OK {
		return failTerm(f.Error)
	}
	cmds := make([]*ast.Term, len(f.Commands))
	for i, c := range f.Commands {
		name, argv0 := strTerm(c.Name), (*ast.Term)(nil)
		if argv0 = name; c.Argv0 != c.Name {
			argv0 = strTerm(c.Argv0) // usually equal: then one term serves both
		}
		cmds[i] = ast.ObjectTerm(
			ast.Item(keyName, name),
			ast.Item(keyArgv0, argv0),
			ast.Item(keyArgs, stringsArray(c.Args)),
			ast.Item(keyDynamic, boolTerm(c.Dynamic)),
		)
	}
	pipes := make([]*ast.Term, len(f.Pipelines))
	for i, p := range f.Pipelines {
		pipes[i] = stringsArray(p)
	}
	redirs := make([]*ast.Term, len(f.Redirects))
	for i, r := range f.Redirects {
		redirs[i] = ast.ObjectTerm(ast.Item(keyOp, strTerm(r.Op)), ast.Item(keyTarget, strTerm(r.Target)))
	}
	items := [][2]*ast.Term{
		ast.Item(keyOK, termTrue),
		ast.Item(keyCommands, ast.ArrayTerm(cmds...)),
		ast.Item(keyPipelines, ast.ArrayTerm(pipes...)),
		ast.Item(keyRedirects, ast.ArrayTerm(redirs...)),
		ast.Item(keyFeatures, stringsSet(f.Features)),
	}
	if len(f.Assignments) > 0 { // absent when there is none, as in most commands
		items = append(items, ast.Item(keyAssignments, stringsArray(f.Assignments)))
	}
	return ast.ObjectTerm(items...)
}

var (
	keyCommands    = ast.StringTerm("commands")
	keyPipelines   = ast.StringTerm("pipelines")
	keyRedirects   = ast.StringTerm("redirects")
	keyFeatures    = ast.StringTerm("features")
	keyAssignments = ast.StringTerm("assignments")
	keyName        = ast.StringTerm("name")
	keyArgv0       = ast.StringTerm("argv0")
	keyArgs        = ast.StringTerm("args")
	keyDynamic     = ast.StringTerm("dynamic")
	keyOp          = ast.StringTerm("op")
	keyTarget      = ast.StringTerm("target")
)
