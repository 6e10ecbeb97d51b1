//! Helpers shared by the CLI tests: running the binary (with assert_cmd, or as a child process whose
//! peak memory is measured), writing fixtures, committing them with git2, and fingerprinting a whole
//! tree.
#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The `argovet` binary cargo built for these tests.
pub fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("argovet")
}

/// An assert_cmd command running `argovet` in `dir`, colour off.
pub fn argovet_in(dir: &Path) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::new(bin());
    c.current_dir(dir).env("NO_COLOR", "1");
    c
}

/// A command running `argovet` in `dir`, colour off.
pub fn argovet(dir: &Path) -> Command {
    let mut c = Command::new(bin());
    c.current_dir(dir).env("NO_COLOR", "1");
    c
}

/// What a child process did.
#[derive(Debug)]
pub struct Run {
    /// Exit code (-1 when killed by a signal, e.g. a stack overflow's abort).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// Peak resident set size of the child, in bytes: the highest `VmHWM` of `/proc/<pid>/status`
    /// seen while it ran (polled every 2 ms). `wait4`'s `ru_maxrss` is not used as the figure because
    /// Linux carries the parent's (this test process's) high-water mark across `fork`/`exec`.
    pub peak_rss: u64,
    /// Wall-clock time.
    pub elapsed: Duration,
}

impl Run {
    /// Peak RSS in MiB.
    pub fn peak_mib(&self) -> u64 {
        self.peak_rss >> 20
    }
}

/// `VmHWM` of a running process in bytes; `None` once it has exited (a zombie has no memory).
fn vm_hwm(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.trim_start_matches("VmHWM:").trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb * 1024)
}

/// Runs `cmd` to completion, sampling its peak memory while it runs.
pub fn run(cmd: &mut Command) -> Run {
    let start = Instant::now();
    let mut child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
    let pid = child.id();
    // The child stays a zombie (its pid not reused) until `wait` below, after this thread has ended.
    let sampler = std::thread::spawn(move || {
        let mut peak = 0;
        while let Some(hwm) = vm_hwm(pid) {
            peak = peak.max(hwm);
            std::thread::sleep(Duration::from_millis(2));
        }
        peak
    });
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let mut stdout = Vec::new();
    let _ = out.read_to_end(&mut stdout);
    let stderr = reader.join().expect("stderr reader");
    let peak_rss = sampler.join().expect("sampler");
    let status = child.wait().expect("wait");
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        peak_rss,
        elapsed: start.elapsed(),
    }
}

/// Writes `text` to `dir/rel`, creating directories.
pub fn write(dir: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

/// Commits the working tree of `dir` (initialising the repository on first use); returns the SHA.
pub fn commit(dir: &Path, message: &str) -> String {
    let repo = git2::Repository::open(dir).or_else(|_| git2::Repository::init(dir)).expect("repo");
    let mut index = repo.index().expect("index");
    index.add_all(["*"], git2::IndexAddOption::DEFAULT, None).expect("add");
    index.update_all(["*"], None).expect("update");
    index.write().expect("write index");
    let tree = repo.find_tree(index.write_tree().expect("tree")).expect("find tree");
    let sig =
        git2::Signature::new("argovet", "argovet@example.com", &git2::Time::new(1_700_000_000, 0)).expect("signature");
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents).expect("commit").to_string()
}

/// The loose-object file of `oid` in the repository at `dir`.
pub fn loose_object(dir: &Path, oid: &str) -> PathBuf {
    dir.join(".git/objects").join(&oid[..2]).join(&oid[2..])
}

/// One entry of a tree fingerprint: path, kind, size, content hash, modification time, mode.
pub type Entry = (String, &'static str, u64, u64, Option<std::time::SystemTime>, u32);

/// Every file, directory and symlink under `root` (symlinks not followed) with its content and
/// metadata, sorted: two equal fingerprints mean nothing was written, created, removed or touched.
pub fn fingerprint(root: &Path) -> Vec<Entry> {
    use std::hash::{Hash, Hasher};
    use std::os::unix::fs::PermissionsExt;
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(root).follow_links(false).sort_by_file_name() {
        let e = e.expect("walk");
        let meta = e.path().symlink_metadata().expect("metadata");
        let rel = e.path().strip_prefix(root).expect("rel").display().to_string();
        let (kind, hash) = if meta.file_type().is_symlink() {
            let target = std::fs::read_link(e.path()).expect("readlink");
            let mut h = std::collections::hash_map::DefaultHasher::new();
            target.hash(&mut h);
            ("symlink", h.finish())
        } else if meta.is_dir() {
            ("dir", 0)
        } else {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            std::fs::read(e.path()).expect("read").hash(&mut h);
            ("file", h.finish())
        };
        out.push((rel, kind, meta.len(), hash, meta.modified().ok(), meta.permissions().mode()));
    }
    out
}

/// Copies a directory tree (files and directories; symlinks recreated as symlinks).
pub fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from).follow_links(false) {
        let e = e.expect("walk");
        let rel = e.path().strip_prefix(from).expect("rel");
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else if e.file_type().is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(e.path()).expect("readlink"), &dest).expect("symlink");
        } else {
            std::fs::copy(e.path(), &dest).expect("copy");
        }
    }
}

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}
