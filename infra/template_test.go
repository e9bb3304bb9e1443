package infra

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/policies"
	"github.com/awslabs/goformation/v7/cloudformation/serverless"
)

func TestTemplateHasNoGlobals(t *testing.T) {
	// goformation does not merge Globals into resources: a property set
	// there would deploy without the tests below ever seeing it.
	tmpl := loadTemplate(t)
	if _, ok := tmpl.raw["Globals"]; ok {
		t.Error("template.yaml has a Globals section: set those properties on each resource instead, where the tests can see them")
	}
}

func TestFunctions(t *testing.T) {
	tmpl := loadTemplate(t)
	tests := []struct {
		id, role string
		env      map[string]string
		// maxTimeout bounds the function's timeout: API Gateway gives up
		// after 30 s; the loader must finish well inside its custom
		// resource's ServiceTimeout (checked in TestDatasetRelease).
		maxTimeout int
	}{
		{
			id:   "ApiFunction",
			role: "${ApiFunctionRole.Arn}",
			env: map[string]string{
				"JCDD_TABLE":           "${Table}",
				"JCDD_CURSOR_SECRET":   "${CursorSecret}",
				"JCDD_BUNDLE_BUCKET":   "${BundleBucket}",
				"JCDD_BUNDLE_BASE_URL": "https://${BundleDistribution.DomainName}/releases",
				"LOG_LEVEL":            "${LogLevel}",
			},
			maxTimeout: 29,
		},
		{
			id:   "LoaderFunction",
			role: "${LoaderFunctionRole.Arn}",
			env: map[string]string{
				"JCDD_TABLE":         "${Table}",
				"JCDD_BUNDLE_BUCKET": "${BundleBucket}",
			},
			maxTimeout: 900,
		},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			fn, err := tmpl.GetServerlessFunctionWithName(tt.id)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct{ what, got, want string }{
				{"Runtime", deref(fn.Runtime), "provided.al2023"},
				{"Architectures", strings.Join(fn.Architectures, ","), "arm64"},
				{"Handler", deref(fn.Handler), "bootstrap"},
				// SAM runs `make build-<id>` in CodeUri: the repository root,
				// whose Makefile has those targets.
				{"CodeUri", deref(deref(fn.CodeUri).String), ".."},
				{"Metadata.BuildMethod", stringOf(fn.AWSCloudFormationMetadata["BuildMethod"]), "makefile"},
				// The role is the template's own, so that SAM adds no
				// AWSLambdaBasicExecutionRole (logs on Resource "*").
				{"Role", deref(fn.Role), tt.role},
				{"FunctionName", deref(fn.FunctionName), "${AWS::StackName}-" + strings.ToLower(strings.TrimSuffix(tt.id, "Function"))},
			} {
				if c.got != c.want {
					t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
				}
			}
			if fn.Policies != nil {
				t.Error("Policies is set: with an explicit Role, SAM would ignore it; grant permissions in the role")
			}
			if fn.MemorySize == nil || *fn.MemorySize < 128 || *fn.MemorySize > 1024 {
				t.Errorf("MemorySize = %v, want an explicit value in 128..1024 MB", fn.MemorySize)
			}
			if fn.Timeout == nil || *fn.Timeout < 1 || *fn.Timeout > tt.maxTimeout {
				t.Errorf("Timeout = %v, want an explicit value in 1..%d s", fn.Timeout, tt.maxTimeout)
			}
			var env map[string]string
			if fn.Environment != nil {
				env = fn.Environment.Variables
			}
			if !maps.Equal(env, tt.env) {
				t.Errorf("Environment.Variables = %v, want %v", env, tt.env)
			}
		})
	}
}

func stringOf(v any) string {
	s, _ := v.(string)
	return s
}

func TestApiFunctionServesTheHttpApi(t *testing.T) {
	tmpl := loadTemplate(t)
	fn, err := tmpl.GetServerlessFunctionWithName("ApiFunction")
	if err != nil {
		t.Fatal(err)
	}
	if len(fn.Events) != 1 {
		t.Fatalf("ApiFunction has %d events, want one HttpApi event", len(fn.Events))
	}
	for name, ev := range fn.Events {
		var p *serverless.Function_HttpApiEvent
		if ev.Properties != nil {
			p = ev.Properties.HttpApiEvent
		}
		if ev.Type != "HttpApi" || p == nil {
			t.Fatalf("event %s is of type %q, want HttpApi", name, ev.Type)
		}
		if got := deref(p.ApiId); got != "${HttpApi}" {
			t.Errorf("event %s: ApiId = %q, want ${HttpApi}", name, got)
		}
		// Without Path and Method SAM makes the $default route: every
		// request reaches the function, which routes (and 404s) itself.
		if p.Path != nil || p.Method != nil {
			t.Errorf("event %s has Path %q and Method %q: want neither (the $default route)", name, deref(p.Path), deref(p.Method))
		}
		if got := deref(p.PayloadFormatVersion); got != "2.0" {
			t.Errorf("event %s: PayloadFormatVersion = %q, want 2.0 (httpadapter.NewV2)", name, got)
		}
	}
	loader, err := tmpl.GetServerlessFunctionWithName("LoaderFunction")
	if err != nil {
		t.Fatal(err)
	}
	if len(loader.Events) != 0 {
		t.Errorf("LoaderFunction has events %v: only CloudFormation (the custom resource) may invoke it", slices.Sorted(maps.Keys(loader.Events)))
	}
}

func TestHttpApi(t *testing.T) {
	tmpl := loadTemplate(t)
	api, err := tmpl.GetServerlessHttpApiWithName("HttpApi")
	if err != nil {
		t.Fatal(err)
	}
	rs := api.DefaultRouteSettings
	if rs == nil {
		t.Fatal("HttpApi has no DefaultRouteSettings: the API would not be throttled")
	}
	if got, want := deref(rs.ThrottlingRateLimit), numberParams["ThrottlingRateLimit"]; got != want {
		t.Errorf("DefaultRouteSettings.ThrottlingRateLimit = %v, want the ThrottlingRateLimit parameter (%v)", got, want)
	}
	if got, want := deref(rs.ThrottlingBurstLimit), numberParams["ThrottlingBurstLimit"]; got != want {
		t.Errorf("DefaultRouteSettings.ThrottlingBurstLimit = %v, want the ThrottlingBurstLimit parameter (%v)", got, want)
	}

	if api.CorsConfiguration == nil || api.CorsConfiguration.CorsConfigurationObject == nil {
		t.Fatal("HttpApi has no CorsConfiguration object (or one goformation cannot read)")
	}
	cors := api.CorsConfiguration.CorsConfigurationObject
	if got := cors.AllowOrigins; !slices.Equal(got, []string{"*"}) {
		t.Errorf("CORS AllowOrigins = %q, want [*]", got)
	}
	if got := slices.Sorted(slices.Values(cors.AllowMethods)); !slices.Equal(got, []string{"GET", "HEAD", "OPTIONS"}) {
		t.Errorf("CORS AllowMethods = %q, want GET, HEAD, OPTIONS", got)
	}

	logs, _ := tmpl.extra["HttpApi"]["AccessLogSettings"].(map[string]any)
	if dest := stringOf(logs["DestinationArn"]); dest != "${ApiAccessLogGroup.Arn}" {
		t.Errorf("AccessLogSettings.DestinationArn = %q, want ${ApiAccessLogGroup.Arn}", dest)
	}
	for _, field := range []string{"$context.requestId", "$context.status", "$context.path"} {
		if !strings.Contains(stringOf(logs["Format"]), field) {
			t.Errorf("AccessLogSettings.Format lacks %s", field)
		}
	}
	if _, err := tmpl.GetLogsLogGroupWithName("ApiAccessLogGroup"); err != nil {
		t.Error(err)
	}
}

func TestLogGroups(t *testing.T) {
	tmpl := loadTemplate(t)
	groups := tmpl.GetAllLogsLogGroupResources()
	if len(groups) != 3 {
		t.Errorf("%d log groups, want 3 (API access logs and one per function)", len(groups))
	}
	for id, g := range groups {
		if got, want := deref(g.RetentionInDays), numberParams["LogRetentionDays"]; got != want {
			t.Errorf("%s: RetentionInDays = %v, want the LogRetentionDays parameter (%v)", id, got, want)
		}
	}
	// Each function logs to the group the template creates (with
	// retention), not to one Lambda would create without; its role may
	// write there and only there.
	for _, fnID := range []string{"ApiFunction", "LoaderFunction"} {
		fn, err := tmpl.GetServerlessFunctionWithName(fnID)
		if err != nil {
			t.Fatal(err)
		}
		g, err := tmpl.GetLogsLogGroupWithName(fnID + "LogGroup")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := deref(g.LogGroupName), "/aws/lambda/"+deref(fn.FunctionName); got != want {
			t.Errorf("%sLogGroup is named %q, want %q (where Lambda writes)", fnID, got, want)
		}
	}
}

func TestRoles(t *testing.T) {
	tmpl := loadTemplate(t)
	tests := []struct {
		role   string
		grants []string
	}{
		{
			// Read-only, on the table and its indexes.
			role: "ApiFunctionRole",
			grants: []string{
				"dynamodb:BatchGetItem on ${Table.Arn}",
				"dynamodb:BatchGetItem on ${Table.Arn}/index/*",
				"dynamodb:GetItem on ${Table.Arn}",
				"dynamodb:GetItem on ${Table.Arn}/index/*",
				"dynamodb:Query on ${Table.Arn}",
				"dynamodb:Query on ${Table.Arn}/index/*",
				"logs:CreateLogStream on ${ApiFunctionLogGroup.Arn}",
				"logs:PutLogEvents on ${ApiFunctionLogGroup.Arn}",
			},
		},
		{
			// The calls dynamo.Loader makes, on that table only, and the
			// bundle upload, on the bucket's releases/ prefix only.
			role: "LoaderFunctionRole",
			grants: []string{
				"dynamodb:BatchWriteItem on ${Table.Arn}",
				"dynamodb:DeleteItem on ${Table.Arn}",
				"dynamodb:GetItem on ${Table.Arn}",
				"dynamodb:PutItem on ${Table.Arn}",
				"dynamodb:Query on ${Table.Arn}",
				"logs:CreateLogStream on ${LoaderFunctionLogGroup.Arn}",
				"logs:PutLogEvents on ${LoaderFunctionLogGroup.Arn}",
				"s3:GetObject on ${BundleBucket.Arn}/releases/*",
				"s3:PutObject on ${BundleBucket.Arn}/releases/*",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.role, func(t *testing.T) {
			role, err := tmpl.GetIAMRoleWithName(tt.role)
			if err != nil {
				t.Fatal(err)
			}
			var stmts []policyStatement
			for _, p := range role.Policies {
				s, err := statements(p.PolicyDocument)
				if err != nil {
					t.Fatalf("policy %s: %v", p.PolicyName, err)
				}
				stmts = append(stmts, s...)
			}
			for _, s := range stmts {
				if s.Effect != "Allow" || len(s.NotAction) > 0 || len(s.NotResource) > 0 || s.Condition != nil {
					t.Errorf("statement %+v: want plain Allow statements (no Deny, NotAction, NotResource or Condition) so that the grants below are the whole story", s)
				}
			}
			if got := grants(stmts); !slices.Equal(got, tt.grants) {
				t.Errorf("%s grants differ from the least privilege it needs:%s", tt.role, diff(got, tt.grants))
			}
			if len(role.ManagedPolicyArns) > 0 {
				t.Errorf("ManagedPolicyArns = %q: managed policies grant more than the role needs", role.ManagedPolicyArns)
			}
			// An unnamed role deploys with CAPABILITY_IAM (samconfig.toml);
			// a named one would need CAPABILITY_NAMED_IAM.
			if role.RoleName != nil {
				t.Errorf("RoleName = %q: leave roles unnamed", *role.RoleName)
			}
			trust, err := statements(role.AssumeRolePolicyDocument)
			if err != nil {
				t.Fatal(err)
			}
			if len(trust) != 1 || !slices.Equal(trust[0].Action, []string{"sts:AssumeRole"}) || !principalIs(trust[0].Principal, "Service", "lambda.amazonaws.com") {
				t.Errorf("AssumeRolePolicyDocument = %+v, want only lambda.amazonaws.com to assume the role", trust)
			}
		})
	}
	if ids := tmpl.resourcesOfType("AWS::IAM::Role"); !slices.Equal(ids, []string{"ApiFunctionRole", "LoaderFunctionRole"}) {
		t.Errorf("IAM roles %q, want exactly ApiFunctionRole and LoaderFunctionRole", ids)
	}
	for _, typ := range []string{"AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::User", "AWS::IAM::Group"} {
		if ids := tmpl.resourcesOfType(typ); len(ids) > 0 {
			t.Errorf("%s resources %q: every permission belongs in a function's role", typ, ids)
		}
	}
}

// principalIs reports whether a policy principal is exactly {kind: value}.
func principalIs(p any, kind, value string) bool {
	m, ok := p.(map[string]any)
	if !ok || len(m) != 1 {
		return false
	}
	switch v := m[kind].(type) {
	case string:
		return v == value
	case []any:
		return len(v) == 1 && v[0] == value
	}
	return false
}

func TestNoWildcardGrants(t *testing.T) {
	// Every Allow statement anywhere in the template — roles, bucket
	// policies, whatever is added later — names its actions and resources.
	// Deny statements may be broad (the bucket's TLS-only policy denies
	// s3:* to everyone): they take away, never grant.
	tmpl := loadTemplate(t)
	n := 0
	walk("template", tmpl.raw["Resources"], func(path string, obj map[string]any) {
		if obj["Effect"] != "Allow" {
			return
		}
		n++
		var s policyStatement
		if err := remarshal(obj, &s); err != nil {
			t.Errorf("%s: %v", path, err)
			return
		}
		if len(s.NotAction) > 0 || len(s.NotResource) > 0 {
			t.Errorf("%s: Allow with NotAction/NotResource grants everything else", path)
		}
		for _, a := range s.Action {
			if a == "*" || strings.HasSuffix(a, ":*") {
				t.Errorf("%s: Allow of action %q", path, a)
			}
		}
		for _, r := range s.Resource {
			if r == "*" {
				t.Errorf("%s: Allow on resource %q", path, r)
			}
		}
		if s.Principal == "*" || principalIs(s.Principal, "AWS", "*") {
			t.Errorf("%s: Allow to principal *", path)
		}
	})
	if n == 0 {
		t.Fatal("found no Allow statement at all: the walk is broken")
	}
}

func TestTableProtections(t *testing.T) {
	tmpl := loadTemplate(t)
	tbl, err := tmpl.GetDynamoDBTableWithName("Table")
	if err != nil {
		t.Fatal(err)
	}
	if tbl.PointInTimeRecoverySpecification == nil || !deref(tbl.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled) {
		t.Error("point-in-time recovery is not enabled")
	}
	if tbl.SSESpecification == nil || !tbl.SSESpecification.SSEEnabled {
		t.Error("SSESpecification.SSEEnabled is not true")
	}
	if !deref(tbl.DeletionProtectionEnabled) {
		t.Error("DeletionProtectionEnabled is not true")
	}
	if tbl.AWSCloudFormationDeletionPolicy != policies.DeletionPolicy("Retain") || tbl.AWSCloudFormationUpdateReplacePolicy != policies.UpdateReplacePolicy("Retain") {
		t.Errorf("DeletionPolicy %q, UpdateReplacePolicy %q: want Retain for both, the data outlives the stack", tbl.AWSCloudFormationDeletionPolicy, tbl.AWSCloudFormationUpdateReplacePolicy)
	}
	// A retained table with a fixed name would make the stack impossible
	// to create again.
	if tbl.TableName != nil {
		t.Errorf("TableName = %q: leave it to CloudFormation", *tbl.TableName)
	}
	if ids := tmpl.resourcesOfType("AWS::DynamoDB::Table"); len(ids) != 1 {
		t.Errorf("DynamoDB tables %q, want exactly one (single-table design)", ids)
	}
}

func TestBundleBucket(t *testing.T) {
	tmpl := loadTemplate(t)
	b, err := tmpl.GetS3BucketWithName("BundleBucket")
	if err != nil {
		t.Fatal(err)
	}
	pab := deref(b.PublicAccessBlockConfiguration)
	for _, c := range []struct {
		name string
		on   *bool
	}{
		{"BlockPublicAcls", pab.BlockPublicAcls},
		{"BlockPublicPolicy", pab.BlockPublicPolicy},
		{"IgnorePublicAcls", pab.IgnorePublicAcls},
		{"RestrictPublicBuckets", pab.RestrictPublicBuckets},
	} {
		if !deref(c.on) {
			t.Errorf("PublicAccessBlockConfiguration.%s is not true", c.name)
		}
	}
	if b.VersioningConfiguration == nil || b.VersioningConfiguration.Status != "Enabled" {
		t.Error("versioning is not enabled")
	}
	enc := b.BucketEncryption
	if enc == nil || len(enc.ServerSideEncryptionConfiguration) == 0 || enc.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault == nil ||
		!slices.Contains([]string{"AES256", "aws:kms", "aws:kms:dsse"}, enc.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm) {
		t.Error("default encryption is not configured")
	}
	if b.AccessControl != nil {
		t.Errorf("AccessControl = %q: ACLs stay disabled", *b.AccessControl)
	}
	if b.AWSCloudFormationDeletionPolicy != policies.DeletionPolicy("Retain") || b.AWSCloudFormationUpdateReplacePolicy != policies.UpdateReplacePolicy("Retain") {
		t.Errorf("DeletionPolicy %q, UpdateReplacePolicy %q: want Retain for both, published bundles outlive the stack", b.AWSCloudFormationDeletionPolicy, b.AWSCloudFormationUpdateReplacePolicy)
	}
}

func TestBundleBucketPolicy(t *testing.T) {
	tmpl := loadTemplate(t)
	p, err := tmpl.GetS3BucketPolicyWithName("BundleBucketPolicy")
	if err != nil {
		t.Fatal(err)
	}
	if p.Bucket != "${BundleBucket}" {
		t.Fatalf("BundleBucketPolicy applies to %q, want ${BundleBucket}", p.Bucket)
	}
	stmts, err := statements(p.PolicyDocument)
	if err != nil {
		t.Fatal(err)
	}
	bucketAndObjects := []string{"${BundleBucket.Arn}", "${BundleBucket.Arn}/*"}
	tlsOnly := slices.ContainsFunc(stmts, func(s policyStatement) bool {
		return s.Effect == "Deny" && s.Principal == "*" && slices.Equal(s.Action, []string{"s3:*"}) &&
			slices.Equal(slices.Sorted(slices.Values(s.Resource)), bucketAndObjects) &&
			s.Condition["Bool"]["aws:SecureTransport"] == "false"
	})
	if !tlsOnly {
		t.Error("no statement denies s3:* to everyone on the bucket and its objects when aws:SecureTransport is false")
	}
	// The only grant: CloudFront, for this distribution, reads releases/.
	if got, want := grants(stmts), []string{"s3:GetObject on ${BundleBucket.Arn}/releases/*"}; !slices.Equal(got, want) {
		t.Errorf("bucket policy grants differ:%s", diff(got, want))
	}
	for _, s := range stmts {
		if s.Effect != "Allow" {
			continue
		}
		if !principalIs(s.Principal, "Service", "cloudfront.amazonaws.com") {
			t.Errorf("statement %q grants to %v, want cloudfront.amazonaws.com only", s.Sid, s.Principal)
		}
		want := "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${BundleDistribution}"
		if got := s.Condition["StringEquals"]["AWS:SourceArn"]; got != want {
			t.Errorf("statement %q: AWS:SourceArn condition = %v, want %s (only our distribution)", s.Sid, got, want)
		}
	}
}

func TestBundleDownloads(t *testing.T) {
	// The public downloads bundles through CloudFront, which signs its
	// requests to the private bucket with origin access control.
	tmpl := loadTemplate(t)
	d, err := tmpl.GetCloudFrontDistributionWithName("BundleDistribution")
	if err != nil {
		t.Fatal(err)
	}
	cfg := d.DistributionConfig
	if cfg == nil || !cfg.Enabled || len(cfg.Origins) != 1 || cfg.DefaultCacheBehavior == nil {
		t.Fatalf("BundleDistribution: want an enabled distribution with one origin and a default behaviour, got %+v", cfg)
	}
	o := cfg.Origins[0]
	if o.DomainName != "${BundleBucket.RegionalDomainName}" || deref(o.OriginAccessControlId) != "${BundleOriginAccessControl.Id}" {
		t.Errorf("origin %s = %s via OAC %q, want ${BundleBucket.RegionalDomainName} via ${BundleOriginAccessControl.Id}", o.Id, o.DomainName, deref(o.OriginAccessControlId))
	}
	cb := cfg.DefaultCacheBehavior
	if cb.TargetOriginId != o.Id {
		t.Errorf("default behaviour targets %q, want the bucket origin %q", cb.TargetOriginId, o.Id)
	}
	if !slices.Contains([]string{"redirect-to-https", "https-only"}, cb.ViewerProtocolPolicy) {
		t.Errorf("ViewerProtocolPolicy = %q, want HTTPS", cb.ViewerProtocolPolicy)
	}
	if got := slices.Sorted(slices.Values(cb.AllowedMethods)); !slices.Equal(got, []string{"GET", "HEAD"}) {
		t.Errorf("AllowedMethods = %q, want GET and HEAD only", got)
	}
	oac, err := tmpl.GetCloudFrontOriginAccessControlWithName("BundleOriginAccessControl")
	if err != nil {
		t.Fatal(err)
	}
	if c := oac.OriginAccessControlConfig; c == nil || c.OriginAccessControlOriginType != "s3" || c.SigningBehavior != "always" || c.SigningProtocol != "sigv4" {
		t.Errorf("BundleOriginAccessControl = %+v, want s3, always, sigv4", c)
	}
	// The API links to the same base the stack outputs.
	api, err := tmpl.GetServerlessFunctionWithName("ApiFunction")
	if err != nil {
		t.Fatal(err)
	}
	out, ok := tmpl.Outputs["BundleBaseUrl"]
	if !ok {
		t.Fatal("no BundleBaseUrl output")
	}
	if got, want := api.Environment.Variables["JCDD_BUNDLE_BASE_URL"], stringOf(out.Value); got != want {
		t.Errorf("JCDD_BUNDLE_BASE_URL = %q, but the BundleBaseUrl output is %q", got, want)
	}
}

func TestDatasetRelease(t *testing.T) {
	tmpl := loadTemplate(t)
	r, ok := tmpl.Resources["DatasetRelease"].(*cloudformation.CustomResource)
	if !ok {
		t.Fatalf("DatasetRelease is %T, want a custom resource", tmpl.Resources["DatasetRelease"])
	}
	if r.Type != "Custom::DatasetRelease" {
		t.Errorf("DatasetRelease has type %q, want Custom::DatasetRelease", r.Type)
	}
	for _, c := range []struct{ prop, want string }{
		{"ServiceToken", "${LoaderFunction.Arn}"},
		// A new DatasetVersion changes the property, which makes
		// CloudFormation send the loader an Update.
		{"ReleaseVersion", "${DatasetVersion}"},
	} {
		if got := stringOf(r.Properties[c.prop]); got != c.want {
			t.Errorf("%s = %q, want %q", c.prop, got, c.want)
		}
	}
	loader, err := tmpl.GetServerlessFunctionWithName("LoaderFunction")
	if err != nil {
		t.Fatal(err)
	}
	// A loader that dies without answering must fail the deploy within
	// minutes, not CloudFormation's default hour; and it must be able to
	// answer before then.
	timeout, _ := r.Properties["ServiceTimeout"].(float64)
	if timeout <= float64(deref(loader.Timeout)) || timeout > 3600 {
		t.Errorf("ServiceTimeout = %v s, want more than the loader's Timeout (%d s) and at most 3600", r.Properties["ServiceTimeout"], deref(loader.Timeout))
	}
	// A retry after a failure reported to CloudFormation could activate the
	// release while the stack rolls back.
	if c := loader.EventInvokeConfig; c == nil || c.MaximumRetryAttempts == nil || *c.MaximumRetryAttempts != 0 {
		t.Error("LoaderFunction.EventInvokeConfig.MaximumRetryAttempts is not 0")
	} else if age := deref(c.MaximumEventAgeInSeconds); age == 0 || float64(age+deref(loader.Timeout)) > timeout {
		t.Errorf("MaximumEventAgeInSeconds (%d) + Timeout (%d) exceeds ServiceTimeout (%v): a queued event could run after CloudFormation gave up", age, deref(loader.Timeout), timeout)
	}
}

func TestAlarms(t *testing.T) {
	tmpl := loadTemplate(t)
	alarms := tmpl.GetAllCloudWatchAlarmResources()
	tests := []struct{ namespace, metric, dimension, value string }{
		{"AWS/ApiGateway", "5xx", "ApiId", "${HttpApi}"},
		{"AWS/Lambda", "Errors", "FunctionName", "${ApiFunction}"},
		{"AWS/Lambda", "Throttles", "FunctionName", "${ApiFunction}"},
		{"AWS/Lambda", "Errors", "FunctionName", "${LoaderFunction}"},
		{"AWS/Lambda", "Throttles", "FunctionName", "${LoaderFunction}"},
		{"AWS/DynamoDB", "ReadThrottleEvents", "TableName", "${Table}"},
		{"AWS/DynamoDB", "WriteThrottleEvents", "TableName", "${Table}"},
	}
	for _, tt := range tests {
		t.Run(tt.metric+"/"+strings.Trim(tt.value, "${}"), func(t *testing.T) {
			var found []string
			for id, a := range alarms {
				if deref(a.Namespace) == tt.namespace && deref(a.MetricName) == tt.metric &&
					len(a.Dimensions) == 1 && a.Dimensions[0].Name == tt.dimension && a.Dimensions[0].Value == tt.value {
					found = append(found, id)
					if !slices.Contains(a.AlarmActions, "${AlarmTopic}") {
						t.Errorf("%s does not notify ${AlarmTopic} (actions %q)", id, a.AlarmActions)
					}
					if a.Threshold == nil || a.Period == nil || a.EvaluationPeriods < 1 {
						t.Errorf("%s lacks a threshold, period or evaluation periods", id)
					}
				}
			}
			if len(found) != 1 {
				t.Errorf("%d alarms on %s %s for %s=%s, want one", len(found), tt.namespace, tt.metric, tt.dimension, tt.value)
			}
		})
	}
}

func TestOutputs(t *testing.T) {
	tmpl := loadTemplate(t)
	tests := []struct{ name, want string }{
		{"ApiUrl", "https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/"},
		{"TableName", "${Table}"},
		{"BucketName", "${BundleBucket}"},
		{"BundleBaseUrl", "https://${BundleDistribution.DomainName}/releases"},
	}
	for _, tt := range tests {
		out, ok := tmpl.Outputs[tt.name]
		if !ok {
			t.Errorf("no output %s", tt.name)
			continue
		}
		if got := stringOf(out.Value); got != tt.want {
			t.Errorf("output %s = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestParameters(t *testing.T) {
	tmpl := loadTemplate(t)
	for _, name := range []string{"DatasetVersion", "CursorSecret", "ThrottlingRateLimit", "ThrottlingBurstLimit", "LogRetentionDays", "AlarmEmail", "AlarmTopicArn"} {
		if _, ok := tmpl.Parameters[name]; !ok {
			t.Errorf("no parameter %s", name)
		}
	}
	secret := tmpl.Parameters["CursorSecret"]
	if !deref(secret.NoEcho) || secret.Default != nil {
		t.Error("CursorSecret must be NoEcho and have no default")
	}
	// No default: a deploy without samconfig.toml's value fails rather
	// than publishing a stale version.
	if tmpl.Parameters["DatasetVersion"].Default != nil {
		t.Error("DatasetVersion has a default: it must come from samconfig.toml")
	}
}
