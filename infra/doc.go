// Package infra holds the AWS SAM template that deploys jcdd (template.yaml),
// the SAM CLI configuration (samconfig.toml) and the deploy guide
// (README.md). It has no code of its own: its tests check the template with
// AWS's cfn-lint, assert its invariants with goformation, create the table
// in dynalite from the template's own definition and run the store
// conformance suite on it, and check that samconfig.toml deploys the
// dataset version in dataset/release.yaml.
package infra
