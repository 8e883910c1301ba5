// helm-render renders a Helm chart the way `helm template` does, for tests on machines without helm.
//
// It is the same template engine (Go text/template with sprig v3 and Helm's own functions), the same
// YAML library for values and toYaml (sigs.k8s.io/yaml, so numbers from values files are float64 as in
// Helm), the same values coalescing, the same values.schema.json validation library Helm 3 uses
// (gojsonschema) and the same kubeVersion check. What it leaves out: subcharts, `lookup` (always an
// empty map, as in `helm template`), .Files.Glob/AsConfig/AsSecrets, toToml and post-renderers.
//
// Build (Debian: golang-go golang-github-masterminds-sprig-dev golang-k8s-sigs-yaml-dev
// golang-github-xeipuuv-gojsonschema-dev): GO111MODULE=off GOPATH=/usr/share/gocode go build -o helm-render .
//
// Usage: helm-render [flags] CHART_DIR
//
//	-f FILE             values file (repeatable, later files win)
//	--set K=V[,K=V]     typed value like helm --set (repeatable; dotted keys, no list indexes)
//	--set-string K=V    string value (repeatable)
//	--release NAME      release name (default "release")
//	--namespace NS      release namespace (default "default")
//	--kube-version V    Kubernetes version for .Capabilities and the kubeVersion check (default v1.31.0)
//	--api-versions V    extra API version for .Capabilities.APIVersions.Has (repeatable)
//	--is-upgrade        render as an upgrade (.Release.IsUpgrade) instead of an install
//	--notes             print the rendered NOTES.txt instead of the manifests
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/template"

	"github.com/Masterminds/semver/v3"
	"github.com/Masterminds/sprig/v3"
	"github.com/xeipuuv/gojsonschema"
	"sigs.k8s.io/yaml"
)

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// Metadata mirrors the fields of helm's chart.Metadata that templates read as .Chart.<Field>.
type Metadata struct {
	Name         string            `json:"name"`
	Home         string            `json:"home,omitempty"`
	Sources      []string          `json:"sources,omitempty"`
	Version      string            `json:"version"`
	Description  string            `json:"description,omitempty"`
	Keywords     []string          `json:"keywords,omitempty"`
	Maintainers  []interface{}     `json:"maintainers,omitempty"`
	Icon         string            `json:"icon,omitempty"`
	APIVersion   string            `json:"apiVersion"`
	Condition    string            `json:"condition,omitempty"`
	Tags         string            `json:"tags,omitempty"`
	AppVersion   string            `json:"appVersion,omitempty"`
	Deprecated   bool              `json:"deprecated,omitempty"`
	Annotations  map[string]string `json:"annotations,omitempty"`
	KubeVersion  string            `json:"kubeVersion,omitempty"`
	Dependencies []interface{}     `json:"dependencies,omitempty"`
	Type         string            `json:"type,omitempty"`
}

// KubeVersion and VersionSet mirror helm's chartutil capabilities.
type KubeVersion struct {
	Version string
	Major   string
	Minor   string
}

func (k *KubeVersion) String() string     { return k.Version }
func (k *KubeVersion) GitVersion() string { return k.Version }

type VersionSet []string

func (v VersionSet) Has(apiVersion string) bool {
	for _, x := range v {
		if x == apiVersion {
			return true
		}
	}
	return false
}

type Capabilities struct {
	KubeVersion KubeVersion
	APIVersions VersionSet
	HelmVersion map[string]string
}

// Files mirrors helm's engine.files for the methods this renderer supports.
type Files map[string][]byte

func (f Files) GetBytes(name string) []byte { return f[name] }
func (f Files) Get(name string) string      { return string(f[name]) }
func (f Files) Lines(name string) []string {
	if f[name] == nil {
		return []string{}
	}
	return strings.Split(string(f[name]), "\n")
}

func main() {
	var valueFiles, sets, setStrings, apiVersions stringList
	release := flag.String("release", "release", "release name")
	namespace := flag.String("namespace", "default", "release namespace")
	kubeVersion := flag.String("kube-version", "v1.31.0", "Kubernetes version")
	isUpgrade := flag.Bool("is-upgrade", false, "render as an upgrade")
	notes := flag.Bool("notes", false, "print NOTES.txt instead of the manifests")
	flag.Var(&valueFiles, "f", "values file (repeatable)")
	flag.Var(&sets, "set", "K=V (repeatable)")
	flag.Var(&setStrings, "set-string", "K=V (repeatable)")
	flag.Var(&apiVersions, "api-versions", "API version (repeatable)")
	// Flags may come before or after the chart, as with helm.
	var positional []string
	args := os.Args[1:]
	for {
		if err := flag.CommandLine.Parse(args); err != nil {
			fail(err)
		}
		if flag.NArg() == 0 {
			break
		}
		positional = append(positional, flag.Arg(0))
		args = flag.Args()[1:]
	}
	if len(positional) != 1 {
		fail(errors.New("usage: helm-render [flags] CHART_DIR"))
	}
	out, err := run(positional[0], options{
		release: *release, namespace: *namespace, kubeVersion: *kubeVersion, isUpgrade: *isUpgrade, notes: *notes,
		valueFiles: valueFiles, sets: sets, setStrings: setStrings, apiVersions: apiVersions,
	})
	if err != nil {
		fail(err)
	}
	fmt.Print(out)
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "Error: %s\n", err)
	os.Exit(1)
}

type options struct {
	release, namespace, kubeVersion           string
	isUpgrade, notes                          bool
	valueFiles, sets, setStrings, apiVersions []string
}

func run(chartDir string, o options) (string, error) {
	meta, err := loadMetadata(chartDir)
	if err != nil {
		return "", err
	}
	caps, err := capabilities(o.kubeVersion, o.apiVersions)
	if err != nil {
		return "", err
	}
	if meta.KubeVersion != "" {
		constraint, err := semver.NewConstraint(meta.KubeVersion)
		if err != nil {
			return "", fmt.Errorf("invalid kubeVersion %q in Chart.yaml: %w", meta.KubeVersion, err)
		}
		v, err := semver.NewVersion(caps.KubeVersion.Version)
		if err != nil {
			return "", err
		}
		if !constraint.Check(v) {
			return "", fmt.Errorf("chart requires kubeVersion: %s which is incompatible with Kubernetes %s", meta.KubeVersion, caps.KubeVersion.Version)
		}
	}

	defaults, err := readValuesFile(filepath.Join(chartDir, "values.yaml"))
	if err != nil {
		return "", err
	}
	user := map[string]interface{}{}
	for _, f := range o.valueFiles {
		v, err := readValuesFile(f)
		if err != nil {
			return "", err
		}
		user = mergeMaps(user, v)
	}
	for _, s := range o.sets {
		if err := parseSet(s, user, true); err != nil {
			return "", fmt.Errorf("failed parsing --set data: %w", err)
		}
	}
	for _, s := range o.setStrings {
		if err := parseSet(s, user, false); err != nil {
			return "", fmt.Errorf("failed parsing --set-string data: %w", err)
		}
	}
	values := coalesce(user, defaults, "")

	if schema, err := os.ReadFile(filepath.Join(chartDir, "values.schema.json")); err == nil {
		if err := validateSchema(meta.Name, schema, values); err != nil {
			return "", err
		}
	}

	templates, files, err := loadChartFiles(chartDir, meta.Name)
	if err != nil {
		return "", err
	}
	top := map[string]interface{}{
		"Values": values,
		"Release": map[string]interface{}{
			"Name": o.release, "Namespace": o.namespace, "IsUpgrade": o.isUpgrade, "IsInstall": !o.isUpgrade,
			"Revision": 1, "Service": "Helm",
		},
		"Chart":        meta,
		"Capabilities": caps,
		"Files":        files,
		"Subcharts":    map[string]interface{}{},
	}
	rendered, err := render(templates, top)
	if err != nil {
		return "", err
	}
	if o.notes {
		return rendered[meta.Name+"/templates/NOTES.txt"], nil
	}
	return assemble(rendered)
}

func loadMetadata(chartDir string) (*Metadata, error) {
	raw, err := os.ReadFile(filepath.Join(chartDir, "Chart.yaml"))
	if err != nil {
		return nil, err
	}
	meta := &Metadata{}
	if err := yaml.UnmarshalStrict(raw, meta); err != nil {
		return nil, fmt.Errorf("Chart.yaml: %w", err)
	}
	if meta.APIVersion != "v2" {
		return nil, fmt.Errorf("Chart.yaml: apiVersion must be v2, got %q", meta.APIVersion)
	}
	if meta.Name == "" {
		return nil, errors.New("Chart.yaml: name is required")
	}
	if _, err := semver.StrictNewVersion(meta.Version); err != nil {
		return nil, fmt.Errorf("Chart.yaml: version %q is not SemVer 2: %w", meta.Version, err)
	}
	return meta, nil
}

func capabilities(kubeVersion string, extra []string) (*Capabilities, error) {
	v, err := semver.NewVersion(kubeVersion)
	if err != nil {
		return nil, fmt.Errorf("invalid --kube-version %q: %w", kubeVersion, err)
	}
	// The built-in API versions helm knows without a cluster (a subset: the ones charts commonly test).
	apis := VersionSet{"v1", "apps/v1", "batch/v1", "autoscaling/v1", "autoscaling/v2", "policy/v1",
		"networking.k8s.io/v1", "rbac.authorization.k8s.io/v1", "apiextensions.k8s.io/v1"}
	apis = append(apis, extra...)
	return &Capabilities{
		KubeVersion: KubeVersion{Version: "v" + v.String(), Major: strconv.FormatUint(v.Major(), 10), Minor: strconv.FormatUint(v.Minor(), 10)},
		APIVersions: apis,
		HelmVersion: map[string]string{"Version": "v3-compatible (helm-render)"},
	}, nil
}

// readValuesFile parses like helm's chartutil.ReadValues: sigs.k8s.io/yaml, so every number is a float64.
func readValuesFile(file string) (map[string]interface{}, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	vals := map[string]interface{}{}
	if err := yaml.Unmarshal(raw, &vals); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if vals == nil {
		vals = map[string]interface{}{}
	}
	return vals, nil
}

// mergeMaps merges b into a (b wins), recursing into maps, like helm's cli/values.mergeMaps.
func mergeMaps(a, b map[string]interface{}) map[string]interface{} {
	out := make(map[string]interface{}, len(a))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		if bv, ok := v.(map[string]interface{}); ok {
			if av, ok := out[k].(map[string]interface{}); ok {
				out[k] = mergeMaps(av, bv)
				continue
			}
		}
		out[k] = v
	}
	return out
}

// coalesce fills dst (user values) from src (chart defaults) like helm's chartutil.coalesceTablesFullKey:
// a user null deletes the default, maps merge recursively, and a user scalar never replaces a default map.
func coalesce(dst, src map[string]interface{}, prefix string) map[string]interface{} {
	if dst == nil {
		dst = map[string]interface{}{}
	}
	for key, val := range src {
		fullkey := strings.TrimPrefix(prefix+"."+key, ".")
		dv, ok := dst[key]
		switch {
		case ok && dv == nil:
			delete(dst, key)
		case !ok:
			dst[key] = deepCopy(val)
		default:
			if sv, isMap := val.(map[string]interface{}); isMap {
				if dm, isMap := dv.(map[string]interface{}); isMap {
					coalesce(dm, sv, fullkey)
				} else {
					fmt.Fprintf(os.Stderr, "warning: cannot overwrite table with non table for %s (%v)\n", fullkey, val)
				}
			} else if _, isMap := dv.(map[string]interface{}); isMap && val != nil {
				fmt.Fprintf(os.Stderr, "warning: destination for %s is a table. Ignoring non-table value (%v)\n", fullkey, val)
			}
		}
	}
	return dst
}

func deepCopy(v interface{}) interface{} {
	switch t := v.(type) {
	case map[string]interface{}:
		out := make(map[string]interface{}, len(t))
		for k, x := range t {
			out[k] = deepCopy(x)
		}
		return out
	case []interface{}:
		out := make([]interface{}, len(t))
		for i, x := range t {
			out[i] = deepCopy(x)
		}
		return out
	default:
		return v
	}
}

var intPattern = regexp.MustCompile(`^[-+]?(0|[1-9][0-9]*)$`)

// parseSet handles the common subset of helm's strvals: `a.b=v,c=w`, typed like helm (bool, int64, null).
func parseSet(s string, into map[string]interface{}, typed bool) error {
	for _, pair := range strings.Split(s, ",") {
		eq := strings.Index(pair, "=")
		if eq <= 0 {
			return fmt.Errorf("key %q has no value", pair)
		}
		key, raw := pair[:eq], pair[eq+1:]
		if strings.ContainsAny(key, "[]") {
			return fmt.Errorf("list indexes are not supported: %s", key)
		}
		var val interface{} = raw
		if typed {
			switch {
			case raw == "true":
				val = true
			case raw == "false":
				val = false
			case raw == "null":
				val = nil
			case intPattern.MatchString(raw):
				if n, err := strconv.ParseInt(raw, 10, 64); err == nil {
					val = n
				}
			}
		}
		parts := strings.Split(key, ".")
		cur := into
		for _, p := range parts[:len(parts)-1] {
			next, ok := cur[p].(map[string]interface{})
			if !ok {
				next = map[string]interface{}{}
				cur[p] = next
			}
			cur = next
		}
		cur[parts[len(parts)-1]] = val
	}
	return nil
}

// validateSchema is helm's chartutil.ValidateAgainstSchema (Helm 3 uses gojsonschema too).
func validateSchema(chartName string, schema []byte, values map[string]interface{}) error {
	valuesJSON, err := json.Marshal(values)
	if err != nil {
		return err
	}
	result, err := gojsonschema.Validate(gojsonschema.NewBytesLoader(schema), gojsonschema.NewBytesLoader(valuesJSON))
	if err != nil {
		return fmt.Errorf("values.schema.json: %w", err)
	}
	if result.Valid() {
		return nil
	}
	var sb strings.Builder
	for _, desc := range result.Errors() {
		fmt.Fprintf(&sb, "- %s\n", desc)
	}
	return fmt.Errorf("values don't meet the specifications of the schema(s) in the following chart(s):\n%s:\n%s", chartName, sb.String())
}

// loadChartFiles returns the templates (keyed "<chart>/templates/...") and every other file as .Files
// (helm leaves out Chart.yaml, values.yaml, values.schema.json, templates/ and charts/).
func loadChartFiles(chartDir, chartName string) (map[string]string, Files, error) {
	templates := map[string]string{}
	files := Files{}
	err := filepath.WalkDir(chartDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(chartDir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		switch {
		case strings.HasPrefix(rel, "templates/"):
			templates[chartName+"/"+rel] = string(raw)
		case rel == "Chart.yaml" || rel == "values.yaml" || rel == "values.schema.json" || strings.HasPrefix(rel, "charts/"):
		default:
			files[rel] = raw
		}
		return nil
	})
	return templates, files, err
}

const recursionMaxNums = 1000

// render is helm's engine.render: every template parsed into one set, partials (`_*`) not rendered,
// missing keys render as "" rather than "<no value>".
func render(templates map[string]string, top map[string]interface{}) (map[string]string, error) {
	t := template.New("gotpl").Option("missingkey=zero")
	includedNames := map[string]int{}
	funcs := funcMap()
	funcs["include"] = includeFunc(t, includedNames)
	funcs["tpl"] = tplFunc(t, includedNames)
	t.Funcs(funcs)

	names := make([]string, 0, len(templates))
	for name := range templates {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, err := t.New(name).Parse(templates[name]); err != nil {
			return nil, fmt.Errorf("parse error in %s: %w", name, err)
		}
	}
	out := map[string]string{}
	for _, name := range names {
		if strings.HasPrefix(path.Base(name), "_") {
			continue
		}
		vals := map[string]interface{}{}
		for k, v := range top {
			vals[k] = v
		}
		vals["Template"] = map[string]interface{}{"Name": name, "BasePath": path.Dir(name)}
		var buf strings.Builder
		if err := t.ExecuteTemplate(&buf, name, vals); err != nil {
			return nil, cleanupExecError(name, err)
		}
		out[name] = strings.ReplaceAll(buf.String(), "<no value>", "")
	}
	return out, nil
}

var warnPattern = regexp.MustCompile(`HELM\[(.*)\]HELM`)

// warnWrap marks the messages of `required` and `fail` so that cleanupExecError can find them, as helm does.
func warnWrap(msg string) string { return "HELM[" + msg + "]HELM" }

// cleanupExecError is helm's: "execution error at (<file:line:col>): <message of required/fail>".
func cleanupExecError(name string, err error) error {
	var execErr template.ExecError
	if !errors.As(err, &execErr) {
		return err
	}
	tokens := strings.SplitN(err.Error(), ": ", 3)
	if len(tokens) != 3 {
		return fmt.Errorf("execution error in (%s): %s", name, err)
	}
	if parts := warnPattern.FindStringSubmatch(tokens[2]); len(parts) >= 2 {
		return fmt.Errorf("execution error at (%s): %s", tokens[1], parts[1])
	}
	return err
}

func includeFunc(t *template.Template, includedNames map[string]int) func(string, interface{}) (string, error) {
	return func(name string, data interface{}) (string, error) {
		var buf strings.Builder
		if includedNames[name] > recursionMaxNums {
			return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
		}
		includedNames[name]++
		err := t.ExecuteTemplate(&buf, name, data)
		includedNames[name]--
		return buf.String(), err
	}
}

func tplFunc(parent *template.Template, includedNames map[string]int) func(string, interface{}) (string, error) {
	return func(text string, vals interface{}) (string, error) {
		t, err := parent.Clone()
		if err != nil {
			return "", err
		}
		t.Option("missingkey=zero")
		t.Funcs(template.FuncMap{"include": includeFunc(t, includedNames), "tpl": tplFunc(t, includedNames)})
		name := "tpl"
		if m, ok := vals.(map[string]interface{}); ok {
			if tm, ok := m["Template"].(map[string]interface{}); ok {
				if n, ok := tm["Name"].(string); ok {
					name = n
				}
			}
		}
		if _, err := t.New(name).Parse(text); err != nil {
			return "", fmt.Errorf("cannot parse template %q: %w", text, err)
		}
		var buf strings.Builder
		if err := t.ExecuteTemplate(&buf, name, vals); err != nil {
			return "", fmt.Errorf("error during tpl function execution for %q: %w", text, err)
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
}

// funcMap is helm's engine.funcMap: sprig without env/expandenv, plus helm's own functions.
func funcMap() template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	extra := template.FuncMap{
		"toYaml":        toYAML,
		"mustToYaml":    mustToYAML,
		"fromYaml":      fromYAML,
		"fromYamlArray": fromYAMLArray,
		"toJson":        toJSON,
		"mustToJson":    mustToJSON,
		"fromJson":      fromJSON,
		"fromJsonArray": fromJSONArray,
		"include":       func(string, interface{}) string { return "not implemented" },
		"tpl":           func(string, interface{}) interface{} { return "not implemented" },
		"required": func(warn string, val interface{}) (interface{}, error) {
			if val == nil {
				return val, errors.New(warnWrap(warn))
			}
			if s, ok := val.(string); ok && s == "" {
				return val, errors.New(warnWrap(warn))
			}
			return val, nil
		},
		"fail": func(msg string) (string, error) { return "", errors.New(warnWrap(msg)) },
		"lookup": func(string, string, string, string) (map[string]interface{}, error) {
			return map[string]interface{}{}, nil
		},
	}
	for k, v := range extra {
		f[k] = v
	}
	return f
}

func toYAML(v interface{}) string {
	data, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(data), "\n")
}

func mustToYAML(v interface{}) (string, error) {
	data, err := yaml.Marshal(v)
	return strings.TrimSuffix(string(data), "\n"), err
}

func fromYAML(str string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := yaml.Unmarshal([]byte(str), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func fromYAMLArray(str string) []interface{} {
	a := []interface{}{}
	if err := yaml.Unmarshal([]byte(str), &a); err != nil {
		a = []interface{}{err.Error()}
	}
	return a
}

func toJSON(v interface{}) string {
	data, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(data)
}

func mustToJSON(v interface{}) (string, error) {
	data, err := json.Marshal(v)
	return string(data), err
}

func fromJSON(str string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := json.Unmarshal([]byte(str), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func fromJSONArray(str string) []interface{} {
	a := []interface{}{}
	if err := json.Unmarshal([]byte(str), &a); err != nil {
		a = []interface{}{err.Error()}
	}
	return a
}

var sepPattern = regexp.MustCompile(`(?:^|\s*\n)---\s*`)

type head struct {
	Kind     string `json:"kind"`
	Metadata struct {
		Name        string            `json:"name"`
		Annotations map[string]string `json:"annotations"`
	} `json:"metadata"`
}

// assemble prints like `helm template`: each YAML document with its `# Source:`, regular resources first
// (in helm's install order), hooks after them. Documents that are not valid YAML fail, as in helm.
func assemble(rendered map[string]string) (string, error) {
	type doc struct {
		source, body string
		kindRank     int
		name         string
		hook         bool
	}
	var docs []doc
	names := make([]string, 0, len(rendered))
	for name := range rendered {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if strings.HasSuffix(name, "NOTES.txt") {
			continue
		}
		for _, part := range sepPattern.Split(rendered[name], -1) {
			if strings.TrimSpace(part) == "" {
				continue
			}
			var h head
			if err := yaml.Unmarshal([]byte(part), &h); err != nil {
				return "", fmt.Errorf("YAML parse error on %s: %w", name, err)
			}
			if h.Kind == "" {
				return "", fmt.Errorf("%s: object has no kind:\n%s", name, part)
			}
			_, isHook := h.Metadata.Annotations["helm.sh/hook"]
			docs = append(docs, doc{source: name, body: strings.TrimSpace(part), kindRank: kindRank(h.Kind), name: h.Metadata.Name, hook: isHook})
		}
	}
	sort.SliceStable(docs, func(i, j int) bool {
		if docs[i].hook != docs[j].hook {
			return !docs[i].hook
		}
		if docs[i].kindRank != docs[j].kindRank {
			return docs[i].kindRank < docs[j].kindRank
		}
		return docs[i].name < docs[j].name
	})
	var buf bytes.Buffer
	for _, d := range docs {
		fmt.Fprintf(&buf, "---\n# Source: %s\n%s\n", d.source, d.body)
	}
	return buf.String(), nil
}

// installOrder is helm's releaseutil.InstallOrder.
var installOrder = []string{"PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
	"PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass", "PersistentVolume",
	"PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding",
	"ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod",
	"ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob",
	"IngressClass", "Ingress", "APIService"}

func kindRank(kind string) int {
	for i, k := range installOrder {
		if k == kind {
			return i
		}
	}
	return len(installOrder)
}
