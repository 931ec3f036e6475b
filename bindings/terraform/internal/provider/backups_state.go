package provider

import (
	"bytes"
	"reflect"
	"sort"
	"unsafe"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

// The state of a read goes from the library's result straight to the plugin
// protocol's msgpack (an object is a map by attribute name), in one buffer
// sized in advance: the framework's way (tftypes values, then its semantic
// equality and encoding walks) cost about 0.35 ms per backup, 5,000 backups
// 1.8 s against the library's 20 ms.
//
// What is written comes from the library's result schema through the
// fields' bindings (bind.go). The fields are read at their offsets, by
// kind, which bindFields checked against the schema: reflect.Value.Field on
// each of the 17 fields of every backup cost a quarter of the encoding.

// stateField is a result attribute as the encoder writes it.
type stateField struct {
	offset uintptr // in its struct
	kind   reflect.Kind
	// pointer: the field points to its value (nil: null).
	pointer bool
	key     []byte // the attribute's name, msgpack-encoded
	// fixed bounds the bytes of the key and value, but a string's own: a
	// str32 header, an int64, a bool or nil, an array32 header.
	fixed int
	// A list's elements: their type, map header and fields.
	elemType   reflect.Type
	elemHeader []byte
	elem       []stateField
}

func newStateFields(bs []fieldBinding) []stateField {
	out := make([]stateField, len(bs))
	for i, b := range bs {
		t := b.field.Type
		f := stateField{offset: b.field.Offset, pointer: t.Kind() == reflect.Pointer, key: msgpackOf(b.entry.Name)}
		if f.pointer {
			t = t.Elem()
		}
		f.kind = t.Kind()
		f.fixed = len(f.key) + map[reflect.Kind]int{reflect.String: 5, reflect.Int: 9, reflect.Int64: 9, reflect.Bool: 1, reflect.Slice: 5}[f.kind]
		if f.kind == reflect.Slice {
			f.elemType = t.Elem()
			f.elem = newStateFields(b.elem)
			f.elemHeader = mapHeader(len(b.elem))
		}
		out[i] = f
	}
	return out
}

func msgpackOf(s string) []byte {
	b, _ := msgpack.Marshal(s) // a string always encodes
	return b
}

func mapHeader(n int) []byte {
	var buf bytes.Buffer
	_ = msgpack.NewEncoder(&buf).EncodeMapLen(n)
	return buf.Bytes()
}

// encodeBackupsState writes the state: the arguments as configured
// (timeouts included), then the result's attributes.
func encodeBackupsState(args map[string]tftypes.Value, list *gesbackups.BackupList) ([]byte, error) {
	head, err := encodeArguments(args)
	if err != nil {
		return nil, err
	}
	result := backupsFields().state
	base := unsafe.Pointer(list)
	var buf bytes.Buffer
	buf.Grow(len(head) + sizeBound(result, base))
	buf.Write(head)
	enc := msgpack.NewEncoder(&buf)
	writeFields(enc, &buf, result, base)
	// The encoder writes to a bytes.Buffer, which does not fail.
	return buf.Bytes(), nil
}

// encodeArguments writes the state's map header and its arguments, in the
// order of their names.
func encodeArguments(args map[string]tftypes.Value) ([]byte, error) {
	names := make([]string, 0, len(args))
	for name := range args {
		if !backupsFields().computed[name] {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var head bytes.Buffer
	enc := msgpack.NewEncoder(&head)
	_ = enc.EncodeMapLen(len(names) + len(backupsFields().state))
	for _, name := range names {
		v, err := tfprotov6.NewDynamicValue(args[name].Type(), args[name])
		if err != nil {
			return nil, err
		}
		_ = enc.EncodeString(name)
		head.Write(v.MsgPack)
	}
	return head.Bytes(), nil
}

// writeFields writes the fields of the struct at base, key and value each.
func writeFields(enc *msgpack.Encoder, buf *bytes.Buffer, fields []stateField, base unsafe.Pointer) {
	for i := range fields {
		f := &fields[i]
		buf.Write(f.key)
		p := unsafe.Add(base, f.offset)
		if f.pointer {
			if p = *(*unsafe.Pointer)(p); p == nil {
				_ = enc.EncodeNil()
				continue
			}
		}
		switch f.kind {
		case reflect.String:
			_ = enc.EncodeString(*(*string)(p))
		case reflect.Int64:
			_ = enc.EncodeInt(*(*int64)(p))
		case reflect.Int:
			_ = enc.EncodeInt(int64(*(*int)(p)))
		case reflect.Bool:
			_ = enc.EncodeBool(*(*bool)(p))
		case reflect.Slice:
			elems, n, size := sliceOf(p, f.elemType)
			_ = enc.EncodeArrayLen(n)
			for j := 0; j < n; j++ {
				buf.Write(f.elemHeader)
				writeFields(enc, buf, f.elem, unsafe.Add(elems, uintptr(j)*size))
			}
		}
	}
}

// sliceOf is the data, length and element size of the slice at p, whose
// elements are of type elem.
func sliceOf(p unsafe.Pointer, elem reflect.Type) (unsafe.Pointer, int, uintptr) {
	s := reflect.NewAt(reflect.SliceOf(elem), p).Elem()
	return s.UnsafePointer(), s.Len(), elem.Size()
}

// sizeBound bounds the encoded fields of the struct at base from above, so
// that the buffer is allocated once (growing it would double it).
func sizeBound(fields []stateField, base unsafe.Pointer) int {
	n := 0
	for i := range fields {
		f := &fields[i]
		n += f.fixed
		p := unsafe.Add(base, f.offset)
		if f.pointer {
			if p = *(*unsafe.Pointer)(p); p == nil {
				continue
			}
		}
		switch f.kind {
		case reflect.String:
			n += len(*(*string)(p))
		case reflect.Slice:
			elems, count, size := sliceOf(p, f.elemType)
			for j := 0; j < count; j++ {
				n += len(f.elemHeader) + sizeBound(f.elem, unsafe.Add(elems, uintptr(j)*size))
			}
		}
	}
	return n
}
