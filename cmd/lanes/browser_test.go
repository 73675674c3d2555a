package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lanes-dev/lanes/notebook"
)

// requireTool fails under CI and skips elsewhere when a tool is missing.
func requireTool(t *testing.T, ok bool, what string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("missing %s", what)
	}
	t.Skipf("missing %s", what)
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// quickBrowserLessons are the lessons TestBrowserLesson opens when
// LANES_BROWSER_LESSONS is "quick": the first one and those written for
// Go's own concurrency tools. By default it opens every lesson (about two
// minutes on two cores), so that each leaves a screenshot.
var quickBrowserLessons = []string{
	"01-two-words", "13-select-and-context", "14-pipelines-and-pools",
	"15-locks-and-subtle-failures", "16-scheduler-and-recursion",
}

// TestBrowserLesson opens lessons in Debian's Jupyter Notebook server with
// the Lanes kernel, runs all cells in headless Chromium and checks that a
// timeline is rendered, every Markdown cell is rendered, every code cell
// ran and none failed. A screenshot per lesson is kept in
// browser/artifacts/ (lessonNN.png).
func TestBrowserLesson(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test; runs without -short")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	_, nodeErr := exec.LookPath("node")
	requireTool(t, nodeErr == nil, "node (Node.js 20 or later)")
	major, _ := exec.Command("node", "-p", `process.versions.node.split(".")[0]`).Output()
	n, _ := strconv.Atoi(strings.TrimSpace(string(major)))
	requireTool(t, n >= 20, fmt.Sprintf("Node.js 20 or later (found major version %q)", strings.TrimSpace(string(major))))
	requireTool(t, fileExists("/usr/bin/chromium"), "/usr/bin/chromium (Debian package chromium)")
	requireTool(t, fileExists(filepath.Join(root, "browser", "node_modules", "playwright-core")),
		"playwright-core (run npm ci in browser/)")
	requirePython(t, "notebook")

	env := jupyterEnv(t)
	dir := t.TempDir()
	var names []string
	if os.Getenv("LANES_BROWSER_LESSONS") == "quick" {
		names = quickBrowserLessons
	} else {
		for _, f := range lessonFiles(t) {
			names = append(names, strings.TrimSuffix(filepath.Base(f), ".ipynb"))
		}
	}
	for _, name := range names {
		lesson, err := os.ReadFile(filepath.Join(root, "lessons", name+".ipynb"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".ipynb"), lesson, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	port := freePort(t)
	tokBytes := make([]byte, 16)
	rand.Read(tokBytes)
	token := hex.EncodeToString(tokBytes)
	server := exec.Command(python, "-m", "notebook", "--no-browser", "--allow-root",
		"--ip=127.0.0.1", fmt.Sprintf("--port=%d", port), "--port-retries=0",
		"--NotebookApp.token="+token, "--notebook-dir="+dir)
	server.Env = env
	server.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var serverLog strings.Builder
	server.Stdout, server.Stderr = &serverLog, &serverLog
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		syscall.Kill(-server.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { server.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			syscall.Kill(-server.Process.Pid, syscall.SIGKILL)
		}
	}()
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(base + "/api/status?token=" + token)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("notebook server did not start: %v\n%s", err, serverLog.String())
		}
		time.Sleep(200 * time.Millisecond)
	}

	artifacts := filepath.Join(root, "browser", "artifacts")
	os.MkdirAll(artifacts, 0o755)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			num, _, _ := strings.Cut(name, "-")
			shot := filepath.Join(artifacts, "lesson"+num+".png")
			node := exec.Command("node", filepath.Join(root, "browser", "lesson.mjs"),
				base+"/notebooks/"+name+".ipynb?token="+token, shot)
			node.Dir = filepath.Join(root, "browser")
			out, err := node.CombinedOutput()
			if err != nil {
				t.Fatalf("browser run failed: %v\n%s\nserver log:\n%s", err, out, lastLines([]byte(serverLog.String()), 30))
			}
			nb, err := notebook.ReadFile(filepath.Join(dir, name+".ipynb"))
			if err != nil {
				t.Fatal(err)
			}
			var report struct{ Cells, Markdown int }
			for _, line := range strings.Split(string(out), "\n") {
				if strings.HasPrefix(line, "{") {
					json.Unmarshal([]byte(line), &report)
				}
			}
			code, md := 0, 0
			for _, c := range nb.Cells {
				switch c.Type {
				case notebook.Code:
					code++
				case notebook.Markdown:
					md++
				}
			}
			if report.Cells != code || report.Markdown != md {
				t.Errorf("the browser shows %d code and %d Markdown cells, the lesson has %d and %d", report.Cells, report.Markdown, code, md)
			}
			t.Logf("%s(screenshot: %s)", out, shot)
		})
	}
}

// freePort asks the kernel for a free TCP port on the loopback interface.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
