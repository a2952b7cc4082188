package facts

import (
	"fmt"
	"strings"
	"sync"

	"mvdan.cc/sh/v3/syntax"
)

// parsers are reused: a syntax.Parser resets itself on every Parse and
// drops its node batches, so a returned tree shares no memory with later
// parses and a parser can go back to the pool before its tree is walked
// (nested parses during the walk may take it again).
var parsers = sync.Pool{New: func() any {
	return syntax.NewParser(syntax.Variant(syntax.LangBash), syntax.KeepComments(false))
}}

// shellWalker collects one ShellFact across the top-level text and every
// nested shell text parsed from it.
type shellWalker struct {
	fact     ShellFact
	features uint32
	funcs    map[string][]string // function name → names of the commands it runs
	budget   int                 // shell text bytes still allowed to be parsed
	// nodeBudget bounds the extra walks over pipeline stages and function
	// bodies: nested ones revisit their subtrees, which must stay linear.
	nodeBudget int
	err        error // first bound exceeded while walking
}

// shellScope is one parsed text: offsets in its nodes refer to src.
type shellScope struct {
	src   string
	depth int
	inner map[*syntax.BinaryCmd]bool // pipes already counted in an outer pipeline
	feeds [][2]*syntax.Stmt          // adjacent pipeline stages, checked after the walk
}

func (w *shellWalker) parse(src string, depth int) error {
	if depth > maxShellDepth {
		return fmt.Errorf("shell text nested more than %d levels deep", maxShellDepth)
	}
	if len(src) > w.budget {
		return fmt.Errorf("nested shell text exceeds %d bytes in total", maxShellTotalBytes)
	}
	w.budget -= len(src)
	p := parsers.Get().(*syntax.Parser)
	file, err := p.Parse(strings.NewReader(src), "")
	parsers.Put(p)
	if err != nil {
		if depth > 0 {
			return fmt.Errorf("parse nested shell text: %w", err)
		}
		return fmt.Errorf("parse shell: %w", err)
	}
	sc := &shellScope{src: src, depth: depth}
	syntax.Walk(file, func(n syntax.Node) bool { return w.visit(sc, n) })
	// Text piped into a shell is parsed after the walk, so that commands
	// stay listed in source order.
	for _, f := range sc.feeds {
		if w.err == nil {
			w.pipeFeed(sc, f[0], f[1])
		}
	}
	return w.err
}

// visit handles one node of the tree; Walk then descends into its children,
// so commands inside substitutions, bodies and clauses are all reached.
func (w *shellWalker) visit(sc *shellScope, n syntax.Node) bool {
	if w.err != nil {
		return false
	}
	switch n := n.(type) {
	case *syntax.Stmt:
		if n.Background || n.Coprocess || n.Disown {
			w.features |= featBackground
		}
		if call, ok := n.Cmd.(*syntax.CallExpr); ok && len(call.Args) > 0 {
			w.simple(sc, w.expandBraces(sc, call.Args), n, 0)
		}
	case *syntax.BinaryCmd:
		if (n.Op == syntax.Pipe || n.Op == syntax.PipeAll) && !sc.inner[n] {
			w.pipeline(sc, n)
		}
	case *syntax.Redirect:
		w.redirect(sc, n)
	case *syntax.FuncDecl:
		w.features |= featFuncDef
		if n.Name != nil {
			w.defineFunc(n.Name.Value, w.commandNames(sc, n.Body))
		}
	case *syntax.DeclClause:
		w.declaration(sc, n)
	case *syntax.CoprocClause:
		w.features |= featBackground
	case *syntax.CmdSubst:
		w.features |= featCommandSubst
	case *syntax.ProcSubst:
		w.features |= featProcessSubst
	case *syntax.ParamExp:
		w.features |= featParamExp
		if n.Param != nil && n.Param.Value == "IFS" {
			w.features |= featIFS
		}
	case *syntax.Assign:
		if n.Name != nil && n.Name.Value == "IFS" {
			w.features |= featIFS
		}
		w.assignment(sc, n)
	case *syntax.SglQuoted:
		if n.Dollar {
			w.features |= featANSIC
		}
		w.checkText(n.Value)
	case *syntax.Lit:
		w.checkText(n.Value)
	case *syntax.Word:
		w.checkText(flatten(n))
	}
	return true
}

// assignment records NAME=value; an array assignment (a=(x y)) records
// each element as its own NAME=element. Past maxAssignments the fact is
// refused: a value left out could be the one that names a secret.
func (w *shellWalker) assignment(sc *shellScope, n *syntax.Assign) {
	if n.Name == nil {
		return
	}
	values := []*syntax.Word{n.Value}
	if n.Array != nil {
		values = values[:0]
		for _, e := range n.Array.Elems {
			values = append(values, e.Value)
		}
	}
	for _, v := range values {
		if v == nil {
			continue
		}
		if len(w.fact.Assignments) == maxAssignments {
			w.err = errTooManyAssignments
			return
		}
		w.fact.Assignments = append(w.fact.Assignments, n.Name.Value+"="+sc.word(v).val)
	}
}

var errTooManyAssignments = fmt.Errorf("more than %d variable assignments", maxAssignments)

func (w *shellWalker) checkText(s string) {
	if strings.Contains(s, "/dev/tcp/") || strings.Contains(s, "/dev/udp/") {
		w.features |= featDevTCP
	}
	if hasEscapeSequence(s) {
		w.features |= featHexEscape
	}
}

func (w *shellWalker) redirect(sc *shellScope, r *syntax.Redirect) {
	if r.Word == nil {
		return
	}
	w.fact.Redirects = append(w.fact.Redirects, ShellRedirect{Op: r.Op.String(), Target: sc.word(r.Word).val})
}

// pipeline records a | b | c as the names of the commands each stage runs
// (a wrapper and what it wraps, every command of a compound stage), and
// queues each pair of stages for pipeFeed.
func (w *shellWalker) pipeline(sc *shellScope, n *syntax.BinaryCmd) {
	if sc.inner == nil {
		sc.inner = map[*syntax.BinaryCmd]bool{}
	}
	stages := flattenPipe(n.X, nil, sc.inner)
	stages = flattenPipe(n.Y, stages, sc.inner)
	var names []string
	for _, st := range stages {
		names = append(names, w.commandNames(sc, st)...)
	}
	w.fact.Pipelines = append(w.fact.Pipelines, names)
	for i := 1; i < len(stages); i++ {
		sc.feeds = append(sc.feeds, [2]*syntax.Stmt{stages[i-1], stages[i]})
	}
}

func flattenPipe(st *syntax.Stmt, out []*syntax.Stmt, inner map[*syntax.BinaryCmd]bool) []*syntax.Stmt {
	if b, ok := st.Cmd.(*syntax.BinaryCmd); ok && (b.Op == syntax.Pipe || b.Op == syntax.PipeAll) {
		inner[b] = true
		out = flattenPipe(b.X, out, inner)
		return flattenPipe(b.Y, out, inner)
	}
	return append(out, st)
}

// declaration lists declare/export/local/readonly/typeset as a command.
func (w *shellWalker) declaration(sc *shellScope, d *syntax.DeclClause) {
	args := make([]string, 0, len(d.Args))
	for _, a := range d.Args {
		args = append(args, sc.sourceRange(a.Pos(), a.End()))
	}
	w.addCommand(ShellCommand{Name: d.Variant.Value, Argv0: d.Variant.Value, Args: args})
}

func (w *shellWalker) addCommand(c ShellCommand) bool {
	if len(w.fact.Commands) >= maxShellCommands {
		w.err = fmt.Errorf("more than %d commands", maxShellCommands)
		return false
	}
	w.fact.Commands = append(w.fact.Commands, c)
	return true
}

func (w *shellWalker) defineFunc(name string, calls []string) {
	if w.funcs == nil {
		w.funcs = map[string][]string{}
	}
	if _, ok := w.funcs[name]; !ok && len(w.funcs) == maxShellFunctions {
		w.err = fmt.Errorf("more than %d function definitions", maxShellFunctions)
		return
	}
	w.funcs[name] = append(w.funcs[name], calls...)
}

// hasRecursion reports a function that reaches itself through the
// functions it calls: ":(){ :|:& };:" and its renamed variants.
func (w *shellWalker) hasRecursion() bool {
	for name := range w.funcs {
		seen := map[string]bool{}
		stack := append([]string(nil), w.funcs[name]...)
		for len(stack) > 0 {
			c := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if c == name {
				return true
			}
			if seen[c] {
				continue
			}
			seen[c] = true
			stack = append(stack, w.funcs[c]...)
		}
	}
	return false
}
