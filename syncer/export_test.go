package syncer

// SetAfterPush lets tests act between the cloud's answer to a push and the
// local acknowledgement (to kill the worker there).
func SetAfterPush(w *Worker, f func()) { w.afterPush = f }
