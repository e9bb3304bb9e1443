package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/jcdd/jcdd/internal/api"
	"github.com/jcdd/jcdd/internal/site"
)

// printOpenAPI prints the API's OpenAPI description (3.1, or 3.0.3 with
// --downgrade): make openapi writes it to openapi.yaml.
func printOpenAPI(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("openapi", flag.ContinueOnError)
	downgrade := fs.Bool("downgrade", false, "print OpenAPI 3.0.3 instead of 3.1")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("openapi: unexpected argument %q", fs.Arg(0))
	}
	oapi := api.New(api.Config{}).OpenAPI()
	var b []byte
	var err error
	if *downgrade {
		b, err = api.DowngradeYAML(oapi)
	} else {
		b, err = oapi.YAML()
	}
	if err != nil {
		return fmt.Errorf("encoding the OpenAPI description: %w", err)
	}
	_, err = stdout.Write(b)
	return err
}

// printDocs prints the API reference page (/docs), rendered from the
// OpenAPI description: make openapi writes it to internal/api/pages/docs.html,
// which the API embeds.
func printDocs(stdout io.Writer) error {
	page, err := site.Docs(api.New(api.Config{}).OpenAPI())
	if err != nil {
		return err
	}
	_, err = stdout.Write(page)
	return err
}
