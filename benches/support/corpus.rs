//! A generated GitOps repository for benchmarks: Applications, AppProjects, ApplicationSets and plain
//! Kubernetes objects, a few documents per file, deterministic for a given size.

use std::fmt::Write;
use std::path::Path;

/// Writes `docs` documents into `dir`, `per_file` per file. Returns (files, bytes).
pub fn write_corpus(dir: &Path, docs: usize, per_file: usize) -> (usize, usize) {
    let mut bytes = 0;
    let mut files = 0;
    let mut i = 0;
    while i < docs {
        let sub = dir.join(format!("team-{:02}", files % 50));
        let _ = std::fs::create_dir_all(&sub);
        let mut text = String::new();
        for _ in 0..per_file.min(docs - i) {
            if !text.is_empty() {
                text.push_str("---\n");
            }
            text.push_str(&document(i));
            i += 1;
        }
        bytes += text.len();
        let _ = std::fs::write(sub.join(format!("f{files:05}.yaml")), text);
        files += 1;
    }
    (files, bytes)
}

fn document(i: usize) -> String {
    let mut s = String::new();
    match i % 5 {
        0 => {
            let _ = write!(
                s,
                "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: app-{i}\n  namespace: argocd\n  \
                 finalizers:\n  - resources-finalizer.argocd.argoproj.io\nspec:\n  project: team-{p}\n  source:\n    \
                 repoURL: https://github.com/example/apps.git\n    targetRevision: v1.{i}.0\n    path: apps/app-{i}\n    \
                 helm:\n      valueFiles:\n      - values.yaml\n      parameters:\n      - name: image.tag\n        \
                 value: \"1.{i}\"\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: ns-{i}\n  \
                 syncPolicy:\n    automated:\n      prune: true\n      selfHeal: true\n    syncOptions:\n    - \
                 CreateNamespace=true\n    - ServerSideApply=true\n    retry:\n      limit: 5\n      backoff:\n        \
                 duration: 5s\n        factor: 2\n        maxDuration: 3m\n",
                p = i % 50
            );
        }
        1 => {
            let _ = write!(
                s,
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-{i}\n  labels:\n    app: web-{i}\n  \
                 annotations:\n    argocd.argoproj.io/sync-wave: \"{w}\"\nspec:\n  replicas: 3\n  selector:\n    \
                 matchLabels:\n      app: web-{i}\n  template:\n    metadata:\n      labels:\n        app: web-{i}\n    \
                 spec:\n      containers:\n      - name: web\n        image: registry.example.com/web:1.{i}\n        \
                 ports:\n        - containerPort: 8080\n        resources:\n          limits:\n            cpu: 500m\n            \
                 memory: 256Mi\n        env:\n        - name: MODE\n          value: production\n",
                w = i % 7
            );
        }
        2 => {
            let _ = write!(
                s,
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: web-{i}\nspec:\n  selector:\n    app: web-{i}\n  \
                 ports:\n  - port: 80\n    targetPort: 8080\n"
            );
        }
        3 => {
            let _ = write!(
                s,
                "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: proj-{i}\n  namespace: argocd\n\
                 spec:\n  sourceRepos:\n  - https://github.com/example/apps.git\n  destinations:\n  - server: \
                 https://kubernetes.default.svc\n    namespace: 'team-{i}-*'\n  roles:\n  - name: ci\n    policies:\n    \
                 - p, proj:proj-{i}:ci, applications, sync, proj-{i}/*, allow\n"
            );
        }
        _ => {
            let _ = write!(
                s,
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings-{i}\ndata:\n  LOG_LEVEL: info\n  \
                 FEATURE_X: \"true\"\n  TIMEOUT: 30s\n"
            );
        }
    }
    s
}
