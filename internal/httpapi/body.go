package httpapi

import (
	"errors"
	"io"
	"mime"
	"net/http"
)

// readBody reads a JSON request body of at most limit bytes. A declared
// length over the limit is refused before a byte is read; an undeclared one
// is cut at the limit by http.MaxBytesReader.
func readBody(w http.ResponseWriter, r *http.Request, limit int) ([]byte, *apiError) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return nil, errMediaType()
	}
	if r.ContentLength > int64(limit) {
		return nil, errTooLarge(limit)
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, int64(limit)))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, errTooLarge(limit)
	case err != nil:
		return nil, errInvalid("could not read the request body")
	case len(data) == 0:
		return nil, errInvalid("the request body is empty")
	}
	return data, nil
}
