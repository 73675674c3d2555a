// A struct embedding a mutex, used through methods from goroutines.
package main

import (
	"fmt"
	"sync"
)

type Account struct {
	sync.Mutex
	balance int
}

func (a *Account) Deposit(n int) {
	a.Lock()
	a.balance += n
	a.Unlock()
}

func main() {
	acct := &Account{}
	var wg sync.WaitGroup
	for i := 1; i <= 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			acct.Deposit(i)
		}()
	}
	wg.Wait()
	fmt.Println("balance", acct.balance)
}
