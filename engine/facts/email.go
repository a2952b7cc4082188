package facts

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"golang.org/x/net/idna"
)

// Limits of ParseEmails.
const (
	maxEmailBytes     = 64 << 10 // of each string
	maxEmailAddresses = 1000
)

// EmailFact is EMAIL_FACT of docs/input-and-decision.md.
type EmailFact struct {
	OK        bool
	Error     string
	Addresses []EmailAddress
}

// EmailAddress is one recipient. Domain is lower-cased and IDNA-mapped to
// ASCII; Address is the local part, '@', and that domain.
type EmailAddress struct {
	Address string
	Domain  string
}

// ParseEmails builds the email fact of v: a string of comma-separated
// addresses (display names allowed) or a JSON array of such strings. No
// address at all is not ok: a recipient list that names nobody is not
// something a policy can check. A local part carrying routing characters
// ('@' inside quotes, '%', '!') is refused, because some mail relays still
// forward "bob%evil.example@acme.example" to evil.example.
func ParseEmails(v any) EmailFact {
	var f EmailFact
	var err error
	switch x := v.(type) {
	case string:
		err = f.add(x)
	case []any:
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				err = fmt.Errorf("recipient %d is not a string", i)
				break
			}
			if err = f.add(s); err != nil {
				break
			}
		}
	default:
		err = errors.New("argument is not a string or an array of strings")
	}
	if err == nil && len(f.Addresses) == 0 {
		err = errors.New("no address")
	}
	if err != nil {
		return EmailFact{Error: err.Error()}
	}
	f.OK = true
	return f
}

func (f *EmailFact) add(s string) error {
	if len(s) > maxEmailBytes {
		return fmt.Errorf("address list longer than %d bytes", maxEmailBytes)
	}
	list, err := mail.ParseAddressList(s)
	if err != nil {
		return fmt.Errorf("parse address list: %w", err)
	}
	for _, a := range list {
		if len(f.Addresses) == maxEmailAddresses {
			return fmt.Errorf("more than %d addresses", maxEmailAddresses)
		}
		addr, err := canonicalAddress(a.Address)
		if err != nil {
			return err
		}
		f.Addresses = append(f.Addresses, addr)
	}
	return nil
}

func canonicalAddress(a string) (EmailAddress, error) {
	at := strings.LastIndexByte(a, '@')
	if at <= 0 {
		return EmailAddress{}, fmt.Errorf("address %q has no domain", a)
	}
	local, domain := a[:at], a[at+1:]
	if strings.ContainsAny(local, "@%!") {
		return EmailAddress{}, fmt.Errorf("address %q has routing characters in its local part", a)
	}
	if !isASCII(domain) {
		d, err := idna.Lookup.ToASCII(domain)
		if err != nil {
			return EmailAddress{}, fmt.Errorf("address %q: invalid internationalised domain: %w", a, err)
		}
		domain = d
	}
	domain = lowerASCII(domain)
	return EmailAddress{Address: local + "@" + domain, Domain: domain}, nil
}

// Term returns the fact as an OPA object.
func (f EmailFact) Term() *ast.Term {
	if !f.OK {
		return failTerm(f.Error)
	}
	ts := make([]*ast.Term, len(f.Addresses))
	for i, a := range f.Addresses {
		ts[i] = ast.ObjectTerm(ast.Item(keyAddress, ast.StringTerm(a.Address)), ast.Item(keyDomain, ast.StringTerm(a.Domain)))
	}
	return ast.ObjectTerm(ast.Item(keyOK, termTrue), ast.Item(keyAddresses, ast.ArrayTerm(ts...)))
}

var (
	keyAddresses = ast.StringTerm("addresses")
	keyAddress   = ast.StringTerm("address")
	keyDomain    = ast.StringTerm("domain")
)
