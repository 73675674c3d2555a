#!/usr/bin/env python3
"""Writes the crafted submissions of the grader's tests (run from this
directory): each is the released lesson 08 with one thing broken, in
submissions/NAME/08-race-conditions.ipynb (nbgrader's layout: NAME is the
student). course/ holds copies of ../../lessons/08-race-conditions.ipynb
and ../../lessons/12-choosing.ipynb, the course the grader's tests grade:
copy them again when those lessons change, then regenerate:

    cp ../../lessons/08-race-conditions.ipynb ../../lessons/12-choosing.ipynb course/

    ../../lanes grade release course/08-race-conditions.ipynb -o /tmp/rel
    python3 make_submissions.py /tmp/rel/08-race-conditions.ipynb
"""
import copy, json, os, sys

NB = "08-race-conditions.ipynb"
released = json.load(open(sys.argv[1]))
instructor = json.load(open(os.path.join("course", NB)))

def src(c):
    return "".join(c["source"]) if isinstance(c["source"], list) else c["source"]

def setsrc(c, s):
    c["source"] = s.splitlines(keepends=True)

def gid(c):
    return c["metadata"].get("nbgrader", {}).get("grade_id")

def find(nb, grade_id):
    for i, c in enumerate(nb["cells"]):
        if gid(c) == grade_id:
            return i
    raise KeyError(grade_id)

def solved():
    """The released notebook with the instructor's answers pasted in."""
    nb = copy.deepcopy(released)
    for g in ("l08-ex1-answer", "l08-ex2-answer", "l08-ex3-answer"):
        setsrc(nb["cells"][find(nb, g)], src(instructor["cells"][find(instructor, g)]))
    return nb

def answer(nb, grade_id, code):
    setsrc(nb["cells"][find(nb, grade_id)], code)

def write(name, nb, file=NB, raw=None):
    d = os.path.join("submissions", name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, file), "w") as f:
        if raw is not None:
            f.write(raw)
        else:
            json.dump(nb, f, indent=1, ensure_ascii=False)
            f.write("\n")

SAFE = "func safeCount(goroutines, perG int) int {\n%s\n}\n"

write("solved", solved())
write("blank", copy.deepcopy(released))

text = json.dumps(solved(), indent=1)
write("invalid-json", None, raw=text[: len(text) // 2])
write("renamed", solved(), file="my-race-conditions.ipynb")

nb = solved()
del nb["cells"][find(nb, "l08-ex1-test")]
del nb["cells"][find(nb, "l08-ex2-answer")]
write("deleted-cells", nb)

nb = solved()
a, b = find(nb, "l08-ex3-answer"), find(nb, "l08-ex3-test")
cells = nb["cells"]
ex3 = [cells[a], cells[b]]
del cells[b], cells[a]
cells[find(nb, "l08-ex1-answer"):find(nb, "l08-ex1-answer")] = ex3
write("reordered", nb)

nb = solved()
nb["cells"][find(nb, "l08-ex1-test")]["cell_type"] = "markdown"
for k in ("outputs", "execution_count"):
    nb["cells"][find(nb, "l08-ex1-test")].pop(k, None)
c = nb["cells"][find(nb, "l08-ex3-answer")]
c["cell_type"] = "raw"
c.pop("outputs", None); c.pop("execution_count", None)
write("changed-types", nb)

nb = solved()
answer(nb, "l08-ex1-answer", SAFE % "\tfor {\n\t}")
write("endless-loop", nb)

nb = solved()
answer(nb, "l08-ex1-answer", SAFE % "\tvar mu sync.Mutex\n\tmu.Lock()\n\tmu.Lock()\n\treturn 0")
write("deadlock", nb)

nb = solved()
answer(nb, "l08-ex2-answer", "func collect(n int) []int {\n\tfor {\n\t\tgo func() { select {} }()\n\t}\n}\n")
write("goroutine-flood", nb)

nb = solved()
answer(nb, "l08-ex1-answer", SAFE % "\tb := make([]byte, 10<<30)\n\tb[0] = 1\n\treturn len(b)")
write("huge-allocation", nb)

nb = solved()
answer(nb, "l08-ex1-answer", 'import "os"\n\n' + SAFE % "\tos.Exit(1)\n\treturn 0")
write("os-exit", nb)

nb = solved()
answer(nb, "l08-ex2-answer", "func collect(n int) []int {\n\tgo func() { panic(\"boom\") }()\n\ttime.Sleep(time.Second)\n\treturn nil\n}\n")
write("goroutine-panic", nb)

nb = solved()
answer(nb, "l08-ex3-answer", 'var answer3 = "mutex"\nbig := strings.Repeat("x", 1<<20)\nfor i := 0; i < 100; i++ {\n\tfmt.Print(big)\n}\n')
write("huge-output", nb)

nb = solved()
answer(nb, "l08-ex1-answer", SAFE % "\treturn 0")
setsrc(nb["cells"][find(nb, "l08-ex1-test")], 'fmt.Println("tests passed")\n')
write("tampered-test", nb)

nb = solved()
answer(nb, "l08-ex1-answer", 'import "os"\n\n' + SAFE % '\tos.WriteFile("escape.txt", []byte("x"), 0o644)\n\treturn goroutines * perG')
answer(nb, "l08-ex2-answer", 'import "os/exec"\n\nfunc collect(n int) []int {\n\texec.Command("true").Run()\n\treturn nil\n}\n')
answer(nb, "l08-ex3-answer", 'import "net"\n\nvar answer3 = "mutex"\nnet.Dial("tcp", "127.0.0.1:9")\n')
write("escape", nb)

nb = solved()
answer(nb, "l08-ex3-answer", 'var answer3 = "mutex"\n'
       'r := lanes.Sequential().Simulate(lanes.Identical(1, lanes.Compute(lanes.Unit)), lanes.Machine{})\n'
       'r.Timeline().SaveChromeTrace("escape.json")\n')
write("escape-file", nb)

nb = solved()
answer(nb, "l08-ex1-answer", 'type fakeLanes struct{}\n\nfunc (fakeLanes) Equal(got, want any, what string) {}\n\nvar lanes fakeLanes\n\n' + SAFE % "\treturn 0")
write("shadowed-lanes", nb)

# Grading that cannot be gamed (each scored points it had not earned).
nb = solved()
cells = nb["cells"]
t1 = cells[find(nb, "l08-ex1-test")]
t1["metadata"]["nbgrader"]["points"] = 100
def graded_cell(grade_id, points, source):
    return {"cell_type": "code", "execution_count": None, "id": "added-" + grade_id.lower(), "outputs": [],
            "metadata": {"nbgrader": {"grade": True, "solution": False, "locked": False, "task": False,
                                      "grade_id": grade_id, "points": points, "schema_version": 3}},
            "source": source}
cells.append(graded_cell("bonus", 100, 'fmt.Println("bonus")\n'))
cells.append(graded_cell("huge", 1e308, 'fmt.Println("huge")\n'))
cells.append(graded_cell("negative", -5, 'fmt.Println("negative")\n'))
cells.append(copy.deepcopy(cells[find(nb, "l08-ex2-test")]))
write("added-graded", nb)

nb = solved()
answer(nb, "l08-ex1-answer", 'import "runtime"\n\n' + SAFE % "\truntime.Goexit()\n\treturn 0")
write("goexit", nb)

nb = solved()
answer(nb, "l08-ex2-answer", "func collect(n int) []int { return []int{n} }\n\n"
       "func len(s []int) int { return s[0] }\n\n"
       "func append(dst []int, src ...int) []int {\n\tout := make([]int, src[0])\n\tfor i := range out {\n\t\tout[i] = i\n\t}\n\treturn out\n}\n")
write("shadowed-builtins", nb)

nb = solved()
answer(nb, "l08-ex1-answer", 'data, err := os.ReadFile("/etc/hostname")\nfmt.Println(data, err)\n\n'
       + SAFE % "\treturn goroutines * perG")
write("unimported-os", nb)

nb = solved()
answer(nb, "l08-ex1-answer", "workers := 8\n\n" + SAFE % "\tb := make([]byte, 10<<30)\n\tb[0] = 1\n\treturn len(b)")
answer(nb, "l08-ex2-answer", src(instructor["cells"][find(instructor, "l08-ex2-answer")]).replace(
    "func collect(n int) []int {", "func collect(n int) []int {\n\t_ = workers", 1))
write("crash-then-lost-variable", nb)

nb = solved()
answer(nb, "l08-ex1-answer", "spin := 0\nfor {\n\tspin++\n}\n\n" + SAFE % "\treturn goroutines * perG")
write("runaway-answer", nb)

nb = solved()
nb["cells"].append({"cell_type": "markdown", "id": "hostile-markdown", "metadata": {}, "source":
    "## My notes\n\n<script>alert('feedback')</script>\n\n<img src=x onerror=\"alert('img')\">\n\n"
    "[click me](javascript:alert('link'))\n\n![tracker](http://evil.example/t.png)\n\n"
    "| answer | why |\n|---|---|\n| mutex | **two** steps |\n\n- first\n- second\n"})
write("hostile-markdown", nb)
