package finding

import "fmt"

// Suggest returns "; did you mean X?" when a known word is within two edits
// of s, and "" otherwise.
func Suggest(s string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if len(s) > len(k)+bestD || len(k) > len(s)+bestD {
			continue // the lengths alone put them too far apart
		}
		if d := editDistance(s, k); d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %s?", best)
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
