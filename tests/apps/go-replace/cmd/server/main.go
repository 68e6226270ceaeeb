// Command server answers GET / with a greeting from the local greet module and GET /health.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os"

	"example.com/greet"
)

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]string{"message": greet.Hello(r.URL.Query().Get("name"))})
	})
	http.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]string{"status": "ok"})
	})
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	log.Printf("go-replace listening on %s", port)
	log.Fatal(http.ListenAndServe(":"+port, nil))
}
