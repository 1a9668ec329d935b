// Go's reference design, golang.org/x/sync/singleflight, timed on the machine the Node benches run on: ns per
// call of Group.Do with 1 and with 1000 callers per flight, measured alternately (the two shapes take turns,
// the order turning each round, as in benchmarks/lib/alternate.mjs). Prints one JSON object on stdout:
//
//	{"go": version, "gomaxprocs": n, "rounds": [{"callers": c, "nsPerCall": t, "executionsPerFlight": e}, …]}
//
// Built in GOPATH mode against Debian's golang-golang-x-sync-dev (see benchmarks/go.bench.mjs):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go run benchmarks/go/singleflight.go [-rounds 7] [-benchtime 200ms]
package main

import (
	"encoding/json"
	"flag"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"golang.org/x/sync/singleflight"
)

type sample struct {
	Callers             int     `json:"callers"`
	NsPerCall           float64 `json:"nsPerCall"`
	ExecutionsPerFlight float64 `json:"executionsPerFlight"`
}

// flights runs b.N flights of `callers` callers each: `callers` goroutines call Do for flight 0, 1, 2, … on
// a key of its own per flight; a flight's fn returns once every caller has arrived at that flight (counted
// just before each Do), so the others join it while it is in progress, as the Node benches' callers join a
// pending flight. A caller that counted itself but had not yet entered Do when fn returned starts a second
// execution of that flight: executionsPerFlight reports how often. `executions` counts the executions of
// the latest b.N (testing.Benchmark runs the function with growing b.N and keeps the last run).
// How often a flight's fn yields after the last caller arrived, so that callers counted but not yet in Do
// get there (with fewer, some flights ran fn twice or more on a loaded 2-core machine).
const graceYields = 8

func flights(callers int, executions *int64) func(b *testing.B) {
	return func(b *testing.B) {
		atomic.StoreInt64(executions, 0)
		var group singleflight.Group
		keys := make([]string, b.N)
		for f := range keys {
			keys[f] = "user:" + strconv.Itoa(f)
		}
		arrivals := make([]int32, b.N)
		var done sync.WaitGroup
		b.ResetTimer()
		for c := 0; c < callers; c++ {
			done.Add(1)
			go func() {
				defer done.Done()
				for f := 0; f < b.N; f++ {
					atomic.AddInt32(&arrivals[f], 1)
					group.Do(keys[f], func() (interface{}, error) {
						atomic.AddInt64(executions, 1)
						for atomic.LoadInt32(&arrivals[f]) < int32(callers) {
							runtime.Gosched()
						}
						// A caller may have been descheduled between counting itself and entering Do:
						// yield until every runnable goroutine has had its turn (each enters Do and parks).
						for i := 0; callers > 1 && i < graceYields; i++ {
							runtime.Gosched()
						}
						return 42, nil
					})
				}
			}()
		}
		done.Wait()
	}
}

func measure(callers int) sample {
	var executions int64
	result := testing.Benchmark(flights(callers, &executions))
	return sample{
		Callers:             callers,
		NsPerCall:           float64(result.T.Nanoseconds()) / float64(result.N) / float64(callers),
		ExecutionsPerFlight: float64(atomic.LoadInt64(&executions)) / float64(result.N),
	}
}

func main() {
	testing.Init()
	rounds := flag.Int("rounds", 7, "alternating rounds")
	benchtime := flag.String("benchtime", "200ms", "time per measurement")
	flag.Parse()
	if err := flag.Set("test.benchtime", *benchtime); err != nil {
		panic(err)
	}
	shapes := []int{1, 1000}
	out := struct {
		Go         string   `json:"go"`
		GOMAXPROCS int      `json:"gomaxprocs"`
		Rounds     []sample `json:"rounds"`
	}{Go: runtime.Version(), GOMAXPROCS: runtime.GOMAXPROCS(0)}
	for round := 0; round < *rounds; round++ {
		for i := range shapes {
			runtime.GC()
			out.Rounds = append(out.Rounds, measure(shapes[(i+round)%len(shapes)]))
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		panic(err)
	}
}
