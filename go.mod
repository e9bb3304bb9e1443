module github.com/jcdd/jcdd

go 1.26

require (
	github.com/danielgtaylor/huma/v2 v2.37.2 // indirect
	github.com/getkin/kin-openapi v0.153.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
