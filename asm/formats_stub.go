package asm

// Stubs for the formats being written; formats helper replaces this file.

import (
	"errors"
	"io"

	"golang.org/x/net/bpf"
)

var errTODO = errors.New("asm: format not implemented yet")

func Detect(data []byte) Format                                               { return DDD }
func readRaw(name string, data []byte, be bool) ([]bpf.RawInstruction, error) { return nil, errTODO }
func readDDD(name string, data []byte) ([]bpf.RawInstruction, error)          { return nil, errTODO }
func readXT(name string, data []byte) ([]bpf.RawInstruction, error)           { return nil, errTODO }
func readC(name string, data []byte) ([]bpf.RawInstruction, error)            { return nil, errTODO }
func readGo(name string, data []byte) ([]bpf.RawInstruction, error)           { return nil, errTODO }
func readTcpdump(name string, data []byte) ([]bpf.RawInstruction, error)      { return nil, errTODO }
func writeRaw(w io.Writer, prog []bpf.RawInstruction, be bool) error          { return errTODO }
func writeDDD(w io.Writer, prog []bpf.RawInstruction) error                   { return errTODO }
func writeXT(w io.Writer, prog []bpf.RawInstruction) error                    { return errTODO }
func writeC(w io.Writer, prog []bpf.RawInstruction) error                     { return errTODO }
func writeGo(w io.Writer, prog []bpf.RawInstruction) error                    { return errTODO }
func writeTcpdump(w io.Writer, prog []bpf.RawInstruction) error               { return errTODO }
func writePseudo(w io.Writer, prog []bpf.RawInstruction) error                { return errTODO }
func writeDot(w io.Writer, prog []bpf.RawInstruction) error                   { return errTODO }
